/** The encounters service on real databases: open, list and read encounters, and put notes in them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncounterError, EncounterNotFoundError, NoteInOtherEncounterError } from '../../src/encounters/encounter.ts';
import { attachNote, encounterNotes, listEncounters, openEncounter, requireEncounter, requirePatientEncounter } from '../../src/encounters/service.ts';
import { NoteNotFoundError } from '../../src/notes/errors.ts';
import { insertNote } from '../../src/notes/repository.ts';
import { PatientNotFoundError } from '../../src/patients/errors.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';
const visit = (start: string, externalId: string | null = null) => ({ type: 'outpatient' as const, start: new Date(start), end: null, externalId });

describe.each(databaseBackends)('encounters service on $name', ({ create }) => {
  let t: TestDatabase;
  let patientId: string;
  let otherPatientId: string;
  const note = (patient: string) =>
    insertNote(t.db, { patientId: patient, kind: 'progress', author: 'dr', authoredAt: new Date('2026-02-01T09:00:00Z'), source: 'typed', text: 'Asthma.', pipelineVersion: 'v1' });

  beforeAll(async () => {
    t = await create();
    patientId = (await registerPatient(t.db, { mrn: 'ES-1' })).id;
    otherPatientId = (await registerPatient(t.db, { mrn: 'ES-2' })).id;
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('opens encounters, returns the known one for a repeated external id, and lists them latest first', async () => {
    const first = await openEncounter(t.db, patientId, visit('2026-01-01T10:00:00Z', 'emr-1'));
    expect(first.created).toBe(true);
    const again = await openEncounter(t.db, patientId, visit('2026-01-05T10:00:00Z', 'emr-1'));
    expect(again).toEqual({ encounter: first.encounter, created: false });
    const later = await openEncounter(t.db, patientId, visit('2026-02-01T10:00:00Z'));
    expect((await listEncounters(t.db, patientId, { limit: 10 })).items.map((e) => e.id)).toEqual([later.encounter.id, first.encounter.id]);
    expect(await requireEncounter(t.db, first.encounter.id)).toEqual(first.encounter);
  });

  it('refuses an unknown patient, an encounter ending before it starts, and unknown or foreign encounters', async () => {
    await expect(openEncounter(t.db, MISSING, visit('2026-01-01T10:00:00Z'))).rejects.toBeInstanceOf(PatientNotFoundError);
    await expect(listEncounters(t.db, MISSING, { limit: 10 })).rejects.toBeInstanceOf(PatientNotFoundError);
    await expect(openEncounter(t.db, patientId, { ...visit('2026-01-02T10:00:00Z'), end: new Date('2026-01-01T10:00:00Z') })).rejects.toThrow(
      new EncounterError('The encounter ends before it starts.'),
    );
    await expect(requireEncounter(t.db, MISSING)).rejects.toBeInstanceOf(EncounterNotFoundError);
    const { encounter } = await openEncounter(t.db, patientId, visit('2026-03-01T10:00:00Z'));
    await expect(requirePatientEncounter(t.db, otherPatientId, encounter.id)).rejects.toBeInstanceOf(EncounterError);
    expect(await requirePatientEncounter(t.db, patientId, encounter.id)).toEqual(encounter);
  });

  it("attaches the patient's notes once; another patient's note, a missing one or one in another encounter is refused", async () => {
    const { encounter } = await openEncounter(t.db, patientId, visit('2026-04-01T10:00:00Z'));
    const { encounter: second } = await openEncounter(t.db, patientId, visit('2026-04-02T10:00:00Z'));
    const mine = await note(patientId);
    expect((await attachNote(t.db, encounter, mine.id)).map((n) => n.id)).toEqual([mine.id]);
    // Attaching again to the same encounter changes nothing.
    expect((await attachNote(t.db, encounter, mine.id)).map((n) => n.id)).toEqual([mine.id]);
    await expect(attachNote(t.db, second, mine.id)).rejects.toThrow(new NoteInOtherEncounterError(encounter.id));
    await expect(attachNote(t.db, encounter, (await note(otherPatientId)).id)).rejects.toBeInstanceOf(EncounterError);
    await expect(attachNote(t.db, encounter, MISSING)).rejects.toBeInstanceOf(NoteNotFoundError);
    expect((await encounterNotes(t.db, encounter.id)).map((n) => n.id)).toEqual([mine.id]);
  });
});
