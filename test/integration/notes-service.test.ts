/** The notes service on real databases: submit with its audit and job, reads, processing, retry and reconcile. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/access/audit-repository.ts';
import { EncounterError, EncounterNotFoundError } from '../../src/encounters/encounter.ts';
import { encounterNotes, openEncounter } from '../../src/encounters/service.ts';
import { JsonText } from '../../src/notes/pipeline.ts';
import { NoteNotFoundError, NoteNotStructuredError, NotePatientMismatchError } from '../../src/notes/errors.ts';
import { notePipelineJobId } from '../../src/notes/jobs.ts';
import {
  enqueueUnfinishedNotes,
  listNotes,
  moreUnfinishedNotesThan,
  processNote,
  requireNote,
  requireNoteVersion,
  requireStructuredNote,
  retryFailedNotes,
  submitNote,
  type NoteSubmission,
} from '../../src/notes/service.ts';
import type { NotePipelineStage } from '../../src/notes/stage-service.ts';
import { PatientNotFoundError } from '../../src/patients/errors.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { findJob } from '../../src/queue/jobs-repository.ts';
import type { Runtime } from '../../src/runtime.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';
import { testRuntime } from '../support/runtime.ts';

const actor = { keyId: null, label: 'dr test', role: 'doctor' };
const context = { actor, requestId: 'req-1' };
const MISSING = '00000000-0000-4000-8000-000000000000';

/** Stand-ins for the real stages (models are not what this tests): the structure stage can be made to fail. */
function fakeStages(failStructure = false): NotePipelineStage[] {
  return [
    {
      name: 'structure',
      version: '1',
      run: async (note) => {
        if (failStructure) throw new Error('structuring broke');
        return new JsonText(JSON.stringify({ sections: [{ title: 'all', text: note.text }] }));
      },
    },
  ] as NotePipelineStage[];
}

describe.each(databaseBackends)('notes service on $name', ({ create }) => {
  let t: TestDatabase;
  let runtime: Runtime;
  let patientId: string;
  const submission = (overrides: Partial<NoteSubmission> = {}): NoteSubmission => ({
    patientId,
    kind: 'progress',
    author: 'dr test',
    authoredAt: new Date('2026-03-01T10:00:00Z'),
    source: 'typed',
    text: 'Essential hypertension.',
    ...overrides,
  });

  beforeAll(async () => {
    t = await create();
    runtime = await testRuntime(t.db);
    patientId = (await registerPatient(t.db, { mrn: 'NS-1', name: 'Ada Lovelace' })).id;
  }, 120_000);
  afterAll(async () => {
    await runtime?.close();
    await t?.drop();
  });

  it('submits a note: saved pending, audited as note.create by the actor, its pipeline job recorded', async () => {
    const { note, jobId } = await submitNote(runtime, submission(), context);
    expect(note).toMatchObject({ patientId, status: 'pending', setting: null, text: 'Essential hypertension.' });
    expect(jobId).toBe(notePipelineJobId(note.id));
    expect(await findJob(t.db, jobId)).toMatchObject({ resourceType: 'note', resourceId: note.id });
    await runtime.audit.drain();
    const events = (await listAuditEvents(t.db, { patientId, action: 'note.create' }, { limit: 10 })).items;
    expect(events.find((e) => e.resourceId === note.id)).toMatchObject({ actorLabel: 'dr test', actorRole: 'doctor', requestId: 'req-1', detail: null });
  });

  it('saves nothing for a note written for another patient, and refuses unknown patients', async () => {
    const before = (await listNotes(t.db, patientId, { limit: 100 })).items.length;
    await expect(submitNote(runtime, submission({ writtenForPatientId: MISSING }), context)).rejects.toBeInstanceOf(NotePatientMismatchError);
    expect((await listNotes(t.db, patientId, { limit: 100 })).items).toHaveLength(before);
    // The check ignores case: a client may send the id in capitals.
    await expect(submitNote(runtime, submission({ writtenForPatientId: patientId.toUpperCase(), text: 'Asthma.' }), context)).resolves.toBeTruthy();
    await expect(submitNote(runtime, submission({ patientId: MISSING }), context)).rejects.toBeInstanceOf(PatientNotFoundError);
    await expect(listNotes(t.db, MISSING, { limit: 10 })).rejects.toBeInstanceOf(PatientNotFoundError);
  });

  it("puts a note in the patient's encounter, coded in its setting; another patient's encounter is refused", async () => {
    const { encounter } = await openEncounter(t.db, patientId, { type: 'inpatient', start: new Date('2026-03-01T00:00:00Z'), end: null, externalId: null });
    const { note } = await submitNote(runtime, submission({ encounterId: encounter.id }), context);
    expect(note.setting).toBe('inpatient');
    expect((await encounterNotes(t.db, encounter.id)).map((n) => n.id)).toEqual([note.id]);
    await runtime.audit.drain();
    const events = (await listAuditEvents(t.db, { patientId, action: 'note.create' }, { limit: 10 })).items;
    expect(events.find((e) => e.resourceId === note.id)?.detail).toEqual({ encounterId: encounter.id });

    const other = await registerPatient(t.db, { mrn: 'NS-2' });
    await expect(submitNote(runtime, submission({ patientId: other.id, encounterId: encounter.id }), context)).rejects.toBeInstanceOf(EncounterError);
    await expect(submitNote(runtime, submission({ encounterId: MISSING }), context)).rejects.toBeInstanceOf(EncounterNotFoundError);
  });

  it('returns the stored note when the same id is submitted again', async () => {
    const id = '3f0b6c1e-8a9d-4c4e-9d7e-5b1f2a3c4d5e';
    const first = await submitNote(runtime, submission({ id }), context);
    const again = await submitNote(runtime, submission({ id, text: 'Something else.' }), context);
    expect(again.note.id).toBe(first.note.id);
    expect(again.note.text).toBe('Essential hypertension.');
  });

  it('processes a note once per pipeline version; its row version changes and its structure can be read', async () => {
    const { note } = await submitNote(runtime, submission({ text: 'Type 2 diabetes.' }), context);
    await expect(requireStructuredNote(t.db, note.id)).rejects.toBeInstanceOf(NoteNotStructuredError);
    const before = await requireNoteVersion(t.db, note.id);
    expect(before.patientId).toBe(patientId);
    expect(await processNote(t.db, note.id, fakeStages(), { final: false })).toBe('processed');
    expect(await processNote(t.db, note.id, fakeStages(), { final: false })).toBe('skipped');
    expect((await requireNoteVersion(t.db, note.id)).rowVersion).not.toBe(before.rowVersion);
    const { structure } = await requireStructuredNote(t.db, note.id);
    expect(structure).toEqual({ sections: [{ title: 'all', text: 'Type 2 diabetes.' }] });
    expect(await processNote(t.db, MISSING, fakeStages(), { final: false })).toBe('skipped');
    await expect(requireNote(t.db, MISSING)).rejects.toBeInstanceOf(NoteNotFoundError);
    await expect(requireNoteVersion(t.db, MISSING)).rejects.toBeInstanceOf(NoteNotFoundError);
  });

  it('marks a note failed only on the final attempt, leaves it out of reconciling, and retries it on request', async () => {
    const { note } = await submitNote(runtime, submission({ text: 'Migraine.' }), context);
    await expect(processNote(t.db, note.id, fakeStages(true), { final: false })).rejects.toThrow('structuring broke');
    expect((await requireNote(t.db, note.id)).status).toBe('processing');
    await expect(processNote(t.db, note.id, fakeStages(true), { final: true })).rejects.toThrow('structuring broke');
    expect(await requireNote(t.db, note.id)).toMatchObject({ status: 'failed', error: 'structuring broke' });

    // Every other note of this file is unfinished at the real pipeline version (the fake stages are not it).
    const unfinished = await enqueueUnfinishedNotes(runtime, 2);
    expect(await moreUnfinishedNotesThan(t.db, unfinished - 1)).toBe(true);
    expect(await moreUnfinishedNotesThan(t.db, unfinished)).toBe(false);

    expect(await retryFailedNotes(t.db, [MISSING])).toEqual([]);
    expect(await retryFailedNotes(t.db, [note.id])).toEqual([{ id: note.id, patientId }]);
    expect(await requireNote(t.db, note.id)).toMatchObject({ status: 'pending', error: null });
    expect(await enqueueUnfinishedNotes(runtime)).toBe(unfinished + 1);
  });
});
