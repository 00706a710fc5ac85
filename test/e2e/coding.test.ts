import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';
import { listDecisionsForLearning } from '../../src/coding/repository.ts';

let t: TestDatabase;
let api: TestApi;
let noteId: string;
let patientId: string;

const text =
  'Assessment: 67-year-old man with type 2 diabetes mellitus and essential hypertension. ' +
  'He also has chronic obstructive pulmonary disease. Denies chest pain. Plan: continue metformin and lisinopril.';

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  api = await createTestApi(t);
  patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'CODE-1' } })).body.id;
  noteId = (await api.json('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text } })).body.noteId;
  await waitFor(async () => (await api.json('GET', `/v1/notes/${noteId}`, { role: 'coder' })).body.status === 'processed', 60_000, 'note processed');
});
afterAll(async () => {
  await api.close();
  await t.drop();
});

describe('coder review workflow over HTTP', () => {
  it('looks codes up and searches the code set', async () => {
    const code = await api.json('GET', '/v1/icd10/codes/e119', { role: 'coder' });
    expect(code.status).toBe(200);
    expect(code.body).toMatchObject({ code: 'E11.9', billable: true });
    const search = await api.json('GET', '/v1/icd10/search?q=essential%20hypertension', { role: 'coder' });
    expect(search.body.items.map((i: { code: string }) => i.code)).toContain('I10');
    expect((await api.json('GET', '/v1/icd10/codes/ZZZ99', { role: 'coder' })).status).toBe(404);
  });

  it('stores suggestions on the note and lists it on the worklist', async () => {
    const codes = await api.json('GET', `/v1/notes/${noteId}/codes`, { role: 'coder' });
    const suggested = codes.body.suggestions.map((s: { code: string }) => s.code);
    expect(suggested).toEqual(expect.arrayContaining(['I10']));
    expect(codes.body.notice).toMatch(/coder's review/);
    for (const s of codes.body.suggestions) {
      for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
    }
    const worklist = await api.json('GET', '/v1/coding/worklist', { role: 'coder' });
    expect(worklist.body.items.map((i: { noteId: string }) => i.noteId)).toContain(noteId);
  });

  it('accepts, rejects, replaces and adds, versions the final set, and exports it', async () => {
    const suggestions = (await api.json('GET', `/v1/notes/${noteId}/codes`, { role: 'coder' })).body.suggestions as Array<{ code: string; billable: boolean; proposed: boolean }>;
    const billable = suggestions.filter((s) => s.billable).map((s) => s.code);
    expect(billable).toContain('I10');
    const others = billable.filter((c) => c !== 'I10');
    // Every proposed code needs a decision (nothing is pre-filled): the rest are left out explicitly.
    const leaveRest = (decided: unknown[]) => [
      ...decided,
      ...suggestions.filter((s) => s.proposed && !decided.some((d) => (d as { code: string }).code === s.code)).map((s) => ({ action: 'leave', code: s.code })),
    ];
    const decisions: unknown[] = [{ action: 'accept', code: 'I10' }];
    if (others[0]) decisions.push({ action: 'reject', code: others[0], reason: 'not supported by documentation' });
    const undecided = await api.json('POST', `/v1/notes/${noteId}/codes/review`, { role: 'coder', body: { decisions: [{ action: 'accept', code: 'I10' }] } });
    if (suggestions.filter((s) => s.proposed).length > 1) {
      expect(undecided.status).toBe(422);
      expect(undecided.body.detail).toMatch(/no decision/);
    }
    const notBillable = await api.json('POST', `/v1/notes/${noteId}/codes/review`, { role: 'coder', body: { decisions: leaveRest([{ action: 'add', code: 'E11' }]) } });
    expect(notBillable.status).toBe(422);
    expect(notBillable.body.detail).toMatch(/not billable/);
    expect(notBillable.body.errors).toContainEqual({ path: 'edits/blocking/notBillable:E11', message: expect.stringMatching(/E11\.00/) });
    const missingReason = await api.json('POST', `/v1/notes/${noteId}/codes/review`, { role: 'coder', body: { decisions: [{ action: 'reject', code: 'I10' }] } });
    expect(missingReason.status).toBe(400);

    const missed = ['J44.9', 'Z79.84', 'E78.5', 'Z87.891'].find((c) => !suggestions.some((s) => s.code === c))!;
    decisions.push({ action: 'add', code: missed });
    const first = await api.json('POST', `/v1/notes/${noteId}/codes/review`, { role: 'coder', body: { decisions: leaveRest(decisions) } });
    expect(first.status).toBe(201);
    expect(first.body.version).toBe(1);
    expect(first.body.finalCodes.map((f: { code: string }) => f.code)).toEqual(['I10', missed]);

    const second = await api.json('POST', `/v1/notes/${noteId}/codes/review`, {
      role: 'coder',
      body: { decisions: leaveRest([{ action: 'replace', code: 'I10', replacement: 'I11.9', reason: 'hypertensive heart disease documented' }]) },
    });
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    expect(second.body.finalCodes).toEqual([expect.objectContaining({ code: 'I11.9', origin: 'replacement', suggestedCode: 'I10' })]);

    const history = await api.json('GET', `/v1/notes/${noteId}/codes`, { role: 'coder' });
    expect(history.body.reviews.map((r: { version: number }) => r.version)).toEqual([2, 1]);

    const csv = await api.call('GET', '/v1/coding/export?format=csv', { role: 'coder' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',1,first-listed,I11.9,');
    const fhirResponse = await api.call('GET', '/v1/coding/export?format=fhir', { role: 'coder' });
    expect(fhirResponse.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = await fhirResponse.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const [encounter, condition, claim] = bundle.entry.map((e: { resource: unknown }) => e.resource);
    expect(encounter).toMatchObject({ resourceType: 'Encounter', class: { code: 'AMB' } });
    expect(condition).toMatchObject({ resourceType: 'Condition', subject: { reference: `Patient/${patientId}` }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I11.9' }] } });
    expect(claim).toMatchObject({ resourceType: 'Claim', status: 'draft', diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: 'I11.9' }] }, type: [{ coding: [{ code: 'principal' }] }] }] });
    const plain = await api.json('GET', `/v1/coding/export?format=json&patientId=${patientId}`, { role: 'coder' });
    expect(plain.body.items).toEqual([expect.objectContaining({ noteId, reviewVersion: 2, finalCodes: [expect.objectContaining({ code: 'I11.9' })] })]);

    const reviewed = await api.json('GET', '/v1/coding/worklist?status=reviewed', { role: 'coder' });
    expect(reviewed.body.items.map((i: { noteId: string; reviewVersion: number }) => [i.noteId, i.reviewVersion])).toContainEqual([noteId, 2]);
    const audit = await api.json('GET', `/v1/audit?patientId=${patientId}&action=note.codes.review`, { role: 'admin' });
    expect(audit.body.items).toHaveLength(2);

    // `clinote icd10 learn` reads each decision with the evidence of the suggestion it was about.
    const learning = await listDecisionsForLearning(t.db);
    const accepted = learning.find((d) => d.action === 'accept' && d.suggestedCode === 'I10')!;
    expect(accepted.suggestedEvidence!.length).toBeGreaterThan(0);
    const mention = text.indexOf('essential hypertension');
    for (const span of accepted.suggestedEvidence!) {
      expect(span.start).toBeGreaterThanOrEqual(mention);
      expect(span.end).toBeLessThanOrEqual(mention + 'essential hypertension'.length);
    }
    expect(accepted.suggestedEvidence!.map((span) => text.slice(span.start, span.end)).join(' ')).toMatch(/hypertension/);
    expect(learning.find((d) => d.action === 'add')!.suggestedEvidence).toBeNull();
  });
});
