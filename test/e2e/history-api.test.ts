import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';

const CONSULT = [
  'CHIEF COMPLAINT: Left leg swelling.',
  '',
  'PAST MEDICAL HISTORY:',
  'Type 2 diabetes. No history of DVT.',
  '',
  'MEDICATIONS:',
  'Metformin 500 mg PO BID.',
  '',
  'ALLERGIES: Penicillin (rash).',
  '',
  'ASSESSMENT AND PLAN:',
  'Deep vein thrombosis of the left leg confirmed on ultrasound. Start apixaban 5 mg BID.',
].join('\n');

let t: TestDatabase;
let api: TestApi;
let patientId: string;
let noteId: string;

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  api = await createTestApi(t);
  patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'HIST-1', name: 'Tran Van C' } })).body.id;
  const accepted = await api.json('POST', `/v1/patients/${patientId}/notes`, {
    role: 'doctor',
    body: { text: CONSULT, kind: 'consult', authoredAt: '2024-02-03T10:00:00Z' },
  });
  noteId = accepted.body.noteId;
  await waitFor(async () => (await api.json('GET', `/v1/notes/${noteId}`, { role: 'doctor' })).body.status === 'processed', 60_000, 'note processed');
}, 90_000);
afterAll(async () => {
  await api?.close();
  await t?.drop();
});

const auditActions = async (requestId: string) =>
  (await t.db.query<{ action: string; role: string; patient: string | null }>(
    'SELECT action, actor_role AS role, patient_id AS patient FROM audit_events WHERE request_id = $1 ORDER BY id',
    [requestId],
  )).map((e) => `${e.action}:${e.role}:${e.patient ?? '-'}`);

describe('history over HTTP', () => {
  it('indexes a processed note and searches it for doctors and clinicians, audited; coders get 403', async () => {
    const res = await api.call('GET', `/v1/patients/${patientId}/search?q=${encodeURIComponent('any history of DVT?')}&k=3`, {
      role: 'doctor',
      headers: { 'X-Request-Id': 'hist-search-1' },
    });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<Record<string, any>> };
    const denied = items.find((h) => h.section === 'past_medical_history')!;
    expect(denied).toMatchObject({ noteId, noteDate: '2024-02-03T10:00:00.000Z', negated: true, noteKind: 'consult' });
    expect(CONSULT.slice(denied.start, denied.end)).toBe(denied.text);
    expect(denied.highlights.some((h: { text: string }) => h.text === 'DVT')).toBe(true);
    expect(items.find((h) => h.section === 'assessment_and_plan')?.negated).toBe(false);
    expect(await auditActions('hist-search-1')).toEqual([`history.search:doctor:${patientId}`]);

    const filtered = await api.json('GET', `/v1/patients/${patientId}/search?q=metformin&section=medications,plan&since=2024-01-01`, { role: 'clinician' });
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((h: { section: string }) => h.section)).toEqual(['medications']);
    expect((await api.json('GET', `/v1/patients/${patientId}/search?q=x&section=nonsense`, { role: 'doctor' })).status).toBe(400);
    expect((await api.call('GET', `/v1/patients/${patientId}/search?q=DVT`, { role: 'coder' })).status).toBe(403);
    expect((await api.call('GET', `/v1/patients/00000000-0000-4000-8000-000000000000/search?q=DVT`, { role: 'doctor' })).status).toBe(404);
  });

  it('summarises problems, medications and allergies with links to their note spans', async () => {
    const res = await api.call('GET', `/v1/patients/${patientId}/summary`, { role: 'clinician', headers: { 'X-Request-Id': 'hist-summary-1' } });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as Record<string, any>;
    const problems = summary.problems.map((p: { display: string }) => p.display.toLowerCase());
    expect(problems).toEqual(expect.arrayContaining(['deep vein thrombosis', 'type 2 diabetes']));
    expect(problems.some((p: string) => p === 'dvt')).toBe(false);
    for (const p of summary.problems) expect(p.sources[0].noteId).toBe(noteId);
    const dvt = summary.problems.find((p: { display: string }) => /deep vein/i.test(p.display));
    expect(CONSULT.slice(dvt.sources[0].start, dvt.sources[0].end).toLowerCase()).toBe('deep vein thrombosis of the left leg'); // the span keeps the condition's own site
    expect(summary.medications.map((m: { display: string }) => m.display.toLowerCase())).toEqual(expect.arrayContaining(['metformin', 'apixaban']));
    expect(summary.allergies).toHaveLength(1);
    expect(summary.allergies[0].display).toMatch(/^penicillin/i);
    expect(CONSULT.slice(summary.allergies[0].source.start, summary.allergies[0].source.end)).toContain('Penicillin');
    expect(summary.recentNotes.map((n: { id: string }) => n.id)).toEqual([noteId]);
    expect(await auditActions('hist-summary-1')).toEqual([`history.summary:clinician:${patientId}`]);
    expect((await api.call('GET', `/v1/patients/${patientId}/summary`, { role: 'coder' })).status).toBe(403);
  });

  it('lets clinicians search across patients only with a stated purpose, auditing each patient found', async () => {
    const noPurpose = await api.json('POST', '/v1/cohort/search', { role: 'clinician', body: { q: 'deep vein thrombosis' } });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.errors.map((e: { path: string }) => e.path)).toEqual(['purpose']);
    expect((await api.call('POST', '/v1/cohort/search', { role: 'doctor', body: { q: 'DVT', purpose: 'Quality review of DVT care' } })).status).toBe(403);

    const res = await api.call('POST', '/v1/cohort/search', {
      role: 'clinician',
      body: { q: 'deep vein thrombosis', purpose: 'Quality review of DVT care', k: 5 },
      headers: { 'X-Request-Id': 'hist-cohort-1' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ patientId: string; noteId: string }>; iterativeScan: boolean; reindexing: boolean };
    expect(body.iterativeScan).toBe(true);
    expect(body.reindexing).toBe(false);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((h) => h.patientId === patientId)).toBe(true);
    expect(await auditActions('hist-cohort-1')).toEqual(['history.cohort-search:clinician:-', `history.cohort-hit:clinician:${patientId}`]);
    const [detail] = await t.db.query<{ detail: { purpose: string } }>(`SELECT detail FROM audit_events WHERE request_id = 'hist-cohort-1' ORDER BY id LIMIT 1`);
    expect(detail!.detail.purpose).toBe('Quality review of DVT care');
  });

  it('re-embeds by itself when the configured model is not the one the index was built with', async () => {
    const old = 'clinote-embed@000000000000';
    const makeStale = async () => {
      await t.db.query('UPDATE history_passages SET model_id = $1', [old]);
      await t.db.query('UPDATE history_index_state SET model_id = $1', [old]);
    };
    const current = async () => (await t.db.query<{ model_id: string }>('SELECT model_id FROM history_index_state'))[0]!.model_id !== old;
    const oldPassages = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM history_passages WHERE model_id = $1`, [old]))[0]!.n;

    // Cross-patient search leaves out the other model's vectors and starts the re-embedding job.
    await makeStale();
    const body = { q: 'deep vein thrombosis', purpose: 'Quality review of DVT care' };
    const first = await api.json('POST', '/v1/cohort/search', { role: 'clinician', body });
    expect(first.body).toMatchObject({ reindexing: true });
    await waitFor(current, 30_000, 'index re-embedded after a cohort search');
    expect(await oldPassages()).toBe(0);
    const after = await api.json('POST', '/v1/cohort/search', { role: 'clinician', body });
    expect(after.body.reindexing).toBe(false);
    expect(after.body.items.length).toBeGreaterThan(0);

    // A patient's own search re-embeds that patient inline and asks for the rest in the background.
    await makeStale();
    const own = await api.json('GET', `/v1/patients/${patientId}/search?q=DVT&k=3`, { role: 'doctor' });
    expect(own.body.items.length).toBe(3);
    await waitFor(current, 30_000, 'index re-embedded after a patient search');
    expect(await oldPassages()).toBe(0);
  });

  it('keeps patient text out of the logs', () => {
    const logs = api.runtime.logLines.join('\n');
    expect(logs).not.toContain('thrombosis');
    expect(logs).not.toContain('Tran Van C');
  });
});
