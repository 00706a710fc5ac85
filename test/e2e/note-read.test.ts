import { afterAll, describe, expect, it } from 'vitest';
import { findNote } from '../../src/notes/repository.ts';
import { databaseBackends } from '../support/backends.ts';
import { createTestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';
import type { Note } from '../../src/notes/types.ts';

/** The answer GET /v1/notes/{id} gave when it parsed the stored results and re-serialised the whole note. */
const parsedPathAnswer = (n: Note) => ({
  id: n.id,
  patientId: n.patientId,
  kind: n.kind,
  setting: n.setting ?? null,
  author: n.author,
  authoredAt: n.authoredAt.toISOString(),
  source: n.source,
  status: n.status,
  pipelineVersion: n.pipelineVersion,
  processedVersion: n.processedVersion,
  error: n.error,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
  text: n.text,
  results: n.results,
});

describe.each(databaseBackends)('GET /v1/notes/{id} with the stored results text spliced in, on $name', ({ create }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('answers what the parsing path answered, for a processed note and a pending one, and audits before answering', async () => {
    const t = await create();
    const api = await createTestApi(t);
    cleanups.push(() => t.drop(), () => api.close());
    const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `READ-${Date.now()}` } });
    // Quotes, a backslash, accents, a newline and a non-BMP character must survive the splice unchanged.
    const text = 'Assessment: "type 2 diabetes" \\ café-au-lait spots.\nPlan: metformin 500 mg PO BID. Pain 😖 7/10.';
    const { noteId } = (await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text } })).body;
    await waitFor(async () => (await findNote(t.db, noteId))?.status === 'processed', 30_000, 'note processed');

    const res = await api.call('GET', `/v1/notes/${noteId}`, { role: 'coder' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(await res.text());
    const stored = (await findNote(t.db, noteId))!;
    expect(Object.keys(stored.results).length).toBeGreaterThan(0);
    expect(body).toEqual(parsedPathAnswer(stored));
    expect(body.text).toBe(text);

    // The read is in the audit log as soon as the answer is there.
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'note.read' AND resource_id = $1`,
      [noteId],
    );
    expect(audited[0]!.n).toBe(1);

    const unprocessed = await createTestApi(t, { workers: false });
    cleanups.push(() => unprocessed.close());
    const pending = (await unprocessed.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Chest pain.' } })).body;
    const read = await unprocessed.json('GET', `/v1/notes/${pending.noteId}`, { role: 'doctor' });
    expect(read.body).toEqual(parsedPathAnswer((await findNote(t.db, pending.noteId))!));
    expect(read.body.results).toEqual({});
  });

  it('serves a body rendered earlier only while the row is unchanged, and audits every read', async () => {
    const t = await create();
    const api = await createTestApi(t, { workers: false });
    cleanups.push(() => t.drop(), () => api.close());
    const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `REREAD-${Date.now()}` } });
    const { noteId } = (await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Cough.' } })).body;
    const first = await api.json('GET', `/v1/notes/${noteId}`, { role: 'doctor' });
    expect((await api.json('GET', `/v1/notes/${noteId}`, { role: 'coder' })).body).toEqual(first.body);

    // A change that leaves updated_at alone (same millisecond, or a writer that forgets it) is still seen.
    await t.db.query(`UPDATE notes SET status = 'processed', results = '{"codes": {"suggestions": []}}'::jsonb WHERE id = $1`, [noteId]);
    const changed = await api.json('GET', `/v1/notes/${noteId}`, { role: 'doctor' });
    expect(changed.body).toMatchObject({ status: 'processed', results: { codes: { suggestions: [] } }, updatedAt: first.body.updatedAt });

    const audited = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'note.read' AND resource_id = $1`, [noteId]);
    expect(audited[0]!.n).toBe(3);
  });
});
