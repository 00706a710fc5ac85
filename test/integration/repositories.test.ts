import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { isUniqueViolation } from '../../src/db/database.ts';
import { createApiKey, revokeApiKey, verifyApiKey } from '../../src/access/api-keys-repository.ts';
import { insertCodeReview, listCodingWorklist, listDecisionsForLearning } from '../../src/coding/repository.ts';
import { listAuditEvents, recordAuditEvents } from '../../src/access/audit-repository.ts';
import { markJobActive, markJobFailed, upsertQueuedJob, findJob } from '../../src/queue/jobs-repository.ts';
import { claimNoteForProcessing, completeNoteProcessing, insertNote, listPatientNotes, listUnfinishedNotes } from '../../src/notes/repository.ts';
import { foldedWords, searchableName } from '../../src/patients/patient-name.ts';
import { insertPatient, listPatients } from '../../src/patients/repository.ts';
import { InvalidCursorError } from '../../src/db/page.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

describe.each(databaseBackends)('repositories on $name', ({ create }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(() => t.drop());

  it('migrates idempotently and has pgvector', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const rows = await t.db.query<{ d: number }>(`SELECT '[1,2]'::vector <-> '[1,3]'::vector AS d`);
    expect(rows[0]!.d).toBeCloseTo(1);
  });

  it('enforces unique MRNs and pages patients by keyset', async () => {
    for (let i = 0; i < 5; i++) await insertPatient(t.db, { mrn: `P-${i}`, name: `Tran Thi ${i}` }, searchableName(`Tran Thi ${i}`));
    await expect(insertPatient(t.db, { mrn: 'P-0' }, null)).rejects.toSatisfy(isUniqueViolation);
    // Creation order; inserts within one clock tick tie on created_at and fall back to the id, so the pages are
    // compared with the whole list rather than with the insert order.
    const all = (await listPatients(t.db, {}, { limit: 10 })).items.map((p) => p.mrn);
    expect([...all].sort()).toEqual(['P-0', 'P-1', 'P-2', 'P-3', 'P-4']);
    const first = await listPatients(t.db, {}, { limit: 2 });
    expect(first.items.map((p) => p.mrn)).toEqual(all.slice(0, 2));
    const second = await listPatients(t.db, {}, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((p) => p.mrn)).toEqual(all.slice(2, 4));
    const last = await listPatients(t.db, {}, { limit: 2, cursor: second.nextCursor! });
    expect(last.items.map((p) => p.mrn)).toEqual(all.slice(4));
    expect(last.nextCursor).toBeNull();
    expect((await listPatients(t.db, { nameWords: foldedWords('tran thi 3') }, { limit: 10 })).items).toHaveLength(1);
    expect((await listPatients(t.db, { nameWords: foldedWords('%') }, { limit: 10 })).items).toHaveLength(0);
    await expect(listPatients(t.db, {}, { limit: 2, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('claims a note once per pipeline version and lists unfinished notes', async () => {
    const patient = await insertPatient(t.db, { mrn: 'N-1' }, null);
    const note = await insertNote(t.db, {
      patientId: patient.id,
      kind: 'progress',
      author: 'dr',
      authoredAt: new Date('2026-01-02T03:04:05Z'),
      source: 'typed',
      text: 'HTN, on lisinopril.',
      pipelineVersion: 'v1',
    });
    expect((await listUnfinishedNotes(t.db, 'v1', 100)).map((n) => n.id)).toContain(note.id);
    expect(await claimNoteForProcessing(t.db, note.id, 'v1')).toBe(true);
    await completeNoteProcessing(t.db, note.id, 'v1', JSON.stringify({ received: { ok: true } }));
    expect(await claimNoteForProcessing(t.db, note.id, 'v1')).toBe(false);
    expect((await listUnfinishedNotes(t.db, 'v1', 100)).map((n) => n.id)).not.toContain(note.id);
    // A new pipeline version makes the note unfinished again.
    expect((await listUnfinishedNotes(t.db, 'v2', 100)).map((n) => n.id)).toContain(note.id);
    const page = await listPatientNotes(t.db, patient.id, { limit: 10 });
    expect(page.items[0]).toMatchObject({ id: note.id, status: 'processed', processedVersion: 'v1' });
    expect(page.items[0]).not.toHaveProperty('text');
  });

  it("lists coder decisions for learning with the evidence of the suggestion each was about", async () => {
    const patient = await insertPatient(t.db, { mrn: 'L-1' }, null);
    const text = 'Essential hypertension. Type 2 diabetes.';
    const note = await insertNote(t.db, { patientId: patient.id, kind: 'progress', author: 'dr', authoredAt: new Date(), source: 'typed', text, pipelineVersion: 'v1' });
    const suggestions = [
      { code: 'I10', evidence: [{ start: 0, end: 22, text: 'Essential hypertension', source: 'lexicon' }] },
      { code: 'E11.9', evidence: [{ start: 24, end: 39, text: 'Type 2 diabetes', source: 'lexicon' }, { start: 24, end: 30, text: 'Type 2', source: 'term' }] },
    ];
    await completeNoteProcessing(t.db, note.id, 'v1', JSON.stringify({ codes: { codeSetVersion: 'FY2021', rankerVersion: null, suggestions } }));
    const decision = (action: 'accept' | 'reject' | 'replace' | 'add', suggestedCode: string | null, finalCode: string | null) =>
      ({ action, suggestedCode, finalCode, reason: action === 'accept' || action === 'add' ? null : 'why', suggestedScore: null });
    await insertCodeReview(t.db, {
      subject: { noteId: note.id, encounterId: null },
      defaultNoteId: note.id,
      patientId: patient.id,
      codeSetVersion: 'FY2021',
      rankerVersion: null,
      finalCodes: [],
      overrides: [],
      actor: { keyId: null, label: 'coder' },
      decisions: [decision('accept', 'I10', 'I10'), decision('replace', 'E11.9', 'E11.65'), decision('add', null, 'Z79.84'), { action: 'leave', suggestedCode: 'I10', finalCode: null, reason: null, suggestedScore: null }],
    });
    const rows = await listDecisionsForLearning(t.db);
    const byAction = Object.fromEntries(rows.filter((r) => r.noteId === note.id).map((r) => [r.action, r]));
    expect(byAction.accept).toMatchObject({ text, suggestedCode: 'I10', suggestedEvidence: [{ start: 0, end: 22 }] });
    expect(byAction.replace!.suggestedEvidence).toEqual([{ start: 24, end: 39 }, { start: 24, end: 30 }]);
    expect(byAction.add!.suggestedEvidence).toBeNull();
    // Leaving a code out judges nothing: it teaches the ranker nothing either.
    expect(byAction.leave).toBeUndefined();
  });

  it('lists processed notes awaiting review oldest first, filtered by kind and patient, and moves reviewed ones out', async () => {
    const [a, b] = [await insertPatient(t.db, { mrn: 'W-1' }, null), await insertPatient(t.db, { mrn: 'W-2' }, null)];
    const note = async (patientId: string, kind: string, processed = true) => {
      const n = await insertNote(t.db, { patientId, kind, author: 'dr', authoredAt: new Date(), source: 'typed', text: 'Essential hypertension.', pipelineVersion: 'v1' });
      if (processed) await completeNoteProcessing(t.db, n.id, 'v1', JSON.stringify({ codes: { codeSetVersion: 'FY2021', rankerVersion: null, suggestions: [{ code: 'I10', proposed: true }, { code: 'E11.9', proposed: false }] } }));
      return n.id;
    };
    // Distinct creation times, so "oldest first" is observable rather than a tie broken by id.
    const ids: string[] = [];
    for (const [patient, kind] of [[a, 'progress'], [b, 'discharge'], [a, 'discharge'], [b, 'progress']] as const) {
      ids.push(await note(patient.id, kind));
      await new Promise((r) => setTimeout(r, 5));
    }
    await note(a.id, 'progress', false);
    const mine = (items: Array<{ noteId: string | null }>) => items.map((i) => i.noteId).filter((id) => ids.includes(id!));

    const awaiting = await listCodingWorklist(t.db, { status: 'awaiting' }, { limit: 100 });
    expect(mine(awaiting.items)).toEqual(ids);
    expect(awaiting.items.find((i) => i.noteId === ids[0])).toMatchObject({ mrn: 'W-1', encounterId: null, type: 'outpatient', kinds: ['progress'], noteCount: 1, proposedCodes: ['I10'], reviewVersion: null });
    expect(mine((await listCodingWorklist(t.db, { status: 'awaiting', kind: 'discharge' }, { limit: 100 })).items)).toEqual([ids[1], ids[2]]);
    expect((await listCodingWorklist(t.db, { status: 'awaiting', patientId: b.id }, { limit: 100 })).items.map((i) => i.noteId)).toEqual([ids[1], ids[3]]);
    const first = await listCodingWorklist(t.db, { status: 'awaiting', patientId: a.id }, { limit: 1 });
    const second = await listCodingWorklist(t.db, { status: 'awaiting', patientId: a.id }, { limit: 1, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.noteId)).toEqual([ids[0], ids[2]]);
    expect(second.nextCursor).toBeNull();

    await insertCodeReview(t.db, {
      subject: { noteId: ids[0]!, encounterId: null },
      defaultNoteId: ids[0]!,
      patientId: a.id,
      codeSetVersion: 'FY2021',
      rankerVersion: null,
      finalCodes: [{ code: 'I10', title: 'Essential (primary) hypertension', origin: 'accepted', suggestedCode: 'I10' }],
      overrides: [],
      actor: { keyId: null, label: 'coder' },
      decisions: [{ action: 'accept', suggestedCode: 'I10', finalCode: 'I10', reason: null, suggestedScore: 0.9 }],
    });
    expect(mine((await listCodingWorklist(t.db, { status: 'awaiting' }, { limit: 100 })).items)).toEqual(ids.slice(1));
    const reviewed = await listCodingWorklist(t.db, { status: 'reviewed', patientId: a.id }, { limit: 100 });
    expect(reviewed.items.map((i) => [i.noteId, i.reviewVersion])).toEqual([[ids[0], 1]]);
  });

  it('verifies, rejects and revokes API keys', async () => {
    const { key, token } = await createApiKey(t.db, 'coder', 'coder one');
    expect((await verifyApiKey(t.db, token))?.id).toBe(key.id);
    expect(await verifyApiKey(t.db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(await verifyApiKey(t.db, 'not-a-key')).toBeUndefined();
    await revokeApiKey(t.db, key.prefix);
    expect(await verifyApiKey(t.db, token)).toBeUndefined();
  });

  it('records and filters audit events newest first', async () => {
    const patient = await insertPatient(t.db, { mrn: 'A-1' }, null);
    const actor = { keyId: null, label: 'test', role: 'doctor' };
    await recordAuditEvents(t.db, [
      { actor, action: 'note.read', patientId: patient.id, resourceType: 'note', resourceId: 'n1', requestId: 'r1' },
      { actor, action: 'note.read', patientId: patient.id, resourceType: 'note', resourceId: 'n2', requestId: 'r2', detail: { k: 1 } },
    ]);
    const page = await listAuditEvents(t.db, { patientId: patient.id }, { limit: 1 });
    expect(page.items[0]).toMatchObject({ resourceId: 'n2', detail: { k: 1 } });
    const next = await listAuditEvents(t.db, { patientId: patient.id }, { limit: 1, cursor: page.nextCursor! });
    expect(next.items[0]).toMatchObject({ resourceId: 'n1' });
  });

  it('keeps job bookkeeping', async () => {
    await upsertQueuedJob(t.db, { id: 'j1', name: 'x', resourceType: 'note', resourceId: 'n', requestId: 'r' });
    await markJobActive(t.db, 'j1');
    await markJobFailed(t.db, 'j1', 'boom', false);
    expect(await findJob(t.db, 'j1')).toMatchObject({ status: 'queued', attempts: 1, error: 'boom' });
    await markJobActive(t.db, 'j1');
    await markJobFailed(t.db, 'j1', 'boom again', true);
    expect(await findJob(t.db, 'j1')).toMatchObject({ status: 'failed', attempts: 2 });
  });
});
