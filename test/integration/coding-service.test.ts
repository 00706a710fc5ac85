import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteInEncounterError, NoteNotProcessedError, TooFewDecisionsError } from '../../src/coding/errors.ts';
import { NoteNotFoundError } from '../../src/notes/errors.ts';
import { learnFromStoredDecisions } from '../../src/coding/learning-service.ts';
import { CodingService } from '../../src/coding/service.ts';
import { saveReview } from '../../src/encounters/service.ts';
import { insertEncounter, setNoteEncounter } from '../../src/encounters/repository.ts';
import { completeNoteProcessing, insertNote } from '../../src/notes/repository.ts';
import type { NewNote, Note } from '../../src/notes/types.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const NOBODY = '00000000-0000-4000-8000-000000000000';
const DAY_MS = 86_400_000;

describe.each(databaseBackends)('coding services on $name', ({ create }) => {
  let t: TestDatabase;
  let coding: CodingService;
  let patientId: string;

  beforeAll(async () => {
    t = await create();
    coding = new CodingService(t.db);
    patientId = (await registerPatient(t.db, { mrn: 'COD-SVC', sex: 'female', birthDate: '1960-02-03' })).id;
  });
  afterAll(() => t?.drop());

  const note = (text: string, extra: Partial<NewNote> = {}) =>
    insertNote(t.db, { patientId, kind: 'progress', author: 'dr', authoredAt: new Date(), source: 'typed', text, pipelineVersion: 'v1', ...extra });

  /** Processes a note the way the pipeline's coding stage does: its suggestions stored with its results. */
  async function processed(text: string, extra: Partial<NewNote> = {}): Promise<Note> {
    const stored = await note(text, extra);
    await completeNoteProcessing(t.db, stored.id, 'v1', JSON.stringify({ codes: coding.suggestForNote(stored, 20) }));
    return coding.note(stored.id);
  }

  it('suggests for a stored note in its setting, else its kind’s, unless told; and for raw text, outpatient unless told', async () => {
    const text = 'Assessment: essential hypertension. Possible pneumonia.';
    const discharge = await note(text, { kind: 'discharge summary' });
    expect(coding.suggestForNote(discharge, 5).setting).toBe('inpatient');
    expect(coding.suggestForNote(discharge, 5, 'ED').setting).toBe('ED');
    expect(coding.suggestForNote(await note(text, { kind: 'discharge summary', setting: 'outpatient' }), 5).setting).toBe('outpatient');
    const fromText = await coding.suggestForText(text, 5);
    expect(fromText.setting).toBe('outpatient');
    expect(fromText.suggestions.find((s) => s.proposed)?.code).toBe('I10');
    expect((await coding.suggestForText(text, 5, 'inpatient')).setting).toBe('inpatient');
    await expect(coding.note(NOBODY)).rejects.toBeInstanceOf(NoteNotFoundError);
  });

  it('gives a note its own workspace, or its encounter’s, and says why a note cannot be reviewed on its own', async () => {
    const own = await processed('Assessment: essential hypertension.');
    const { note: found, workspace } = await coding.noteWorkspace(own.id);
    expect(found.id).toBe(own.id);
    expect(workspace).toMatchObject({ subject: { noteId: own.id, encounterId: null }, encounter: { id: null, type: 'outpatient' }, ready: true });
    expect(workspace.suggestions.filter((s) => s.proposed).map((s) => s.code)).toEqual(['I10']);
    expect((await coding.noteToReview(own.id)).workspace.subject).toEqual(workspace.subject);

    const { encounter } = await insertEncounter(t.db, { patientId, type: 'inpatient', start: new Date(), end: null, externalId: null });
    const inEncounter = await processed('Assessment: type 2 diabetes mellitus.');
    await setNoteEncounter(t.db, inEncounter.id, encounter.id);
    expect((await coding.noteWorkspace(inEncounter.id)).workspace).toMatchObject({ subject: { noteId: null, encounterId: encounter.id }, encounter: { type: 'inpatient' } });
    await expect(coding.noteToReview(inEncounter.id)).rejects.toEqual(new NoteInEncounterError(encounter.id));

    await expect(coding.noteToReview((await note('Unprocessed.')).id)).rejects.toBeInstanceOf(NoteNotProcessedError);
    await expect(coding.noteWorkspace(NOBODY)).rejects.toBeInstanceOf(NoteNotFoundError);
    await expect(coding.noteToReview(NOBODY)).rejects.toBeInstanceOf(NoteNotFoundError);
  });

  it('lists the worklist with days waiting and blocking proposed codes, and exports reviewed code sets', async () => {
    const clean = await processed('Assessment: essential hypertension.');
    // A proposed category header is not billable: a blocking claim edit the coder must resolve.
    const header = await note('Diabetes.');
    await completeNoteProcessing(t.db, header.id, 'v1', JSON.stringify({ codes: { codeSetVersion: 'FY2021', rankerVersion: null, suggestions: [{ code: 'E11', proposed: true }] } }));
    const later = Date.now() + 3 * DAY_MS + 60_000;
    const awaiting = (await coding.worklist({ status: 'awaiting', patientId }, { limit: 100 }, later)).items;
    const line = (noteId: string) => awaiting.find((i) => i.noteId === noteId);
    expect(line(clean.id)).toMatchObject({ daysWaiting: 3, blocking: false, proposedCodes: ['I10'] });
    expect(line(header.id)).toMatchObject({ daysWaiting: 3, blocking: true });

    const { workspace } = await coding.noteToReview(clean.id);
    const { review } = await saveReview(t.db, workspace, { decisions: [{ action: 'accept', code: 'I10' }], overrides: [], actor: { keyId: null, label: 'Coder C' } });
    expect((await coding.worklist({ status: 'awaiting', patientId }, { limit: 100 })).items.map((i) => i.noteId)).not.toContain(clean.id);
    const reviewed = (await coding.worklist({ status: 'reviewed', patientId }, { limit: 100 })).items;
    expect(reviewed.find((i) => i.noteId === clean.id)).toMatchObject({ reviewVersion: 1, daysWaiting: 0 });

    const exported = await coding.finalCodeSets({ patientId });
    expect(exported.find((r) => r.noteId === clean.id)).toMatchObject({ version: review.version, reviewedBy: 'Coder C', finalCodes: [{ code: 'I10', origin: 'accepted' }] });
    expect(await coding.finalCodeSets({ patientId, since: new Date(Date.now() + DAY_MS) })).toEqual([]);
  });

  it('learns from the stored decisions, and refuses to with fewer than asked for', async () => {
    const { workspace } = await coding.noteToReview((await processed('Assessment: essential hypertension. Type 2 diabetes mellitus.')).id);
    const decisions = workspace.suggestions.filter((s) => s.proposed).map((s, i) => (i === 0 ? { action: 'accept' as const, code: s.code } : { action: 'reject' as const, code: s.code, reason: 'not documented' }));
    await saveReview(t.db, workspace, { decisions, overrides: [], actor: { keyId: null, label: 'Coder L' } });
    const stored = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM code_decisions WHERE action <> 'leave'`);
    await expect(learnFromStoredDecisions(t.db, stored[0]!.n + 1)).rejects.toEqual(new TooFewDecisionsError(stored[0]!.n));
    const run = await learnFromStoredDecisions(t.db, 1);
    expect(run.decisions).toBe(stored[0]!.n);
    expect(run.weightRows).toBeGreaterThan(0);
    expect(run.model.version).toMatch(/\S/);
  });
});
