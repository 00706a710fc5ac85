import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../access/api-keys-repository.ts';
import { createTestApi, type TestApi } from '../../../../test/support/api.ts';
import { databaseBackends, type TestDatabase } from '../../../../test/support/backends.ts';

describe.each(databaseBackends)('Idempotency-Key on note submits ($name)', ({ create }) => {
  let t: TestDatabase;
  let api: TestApi;
  let patientId: string;
  beforeAll(async () => {
    t = await create();
    // No workers: the tests look at what the submit stores, not at processing.
    api = await createTestApi(t, { workers: false });
    patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `IDEM-${Date.now()}` } })).body.id;
  });
  afterAll(async () => {
    await api?.close();
    await t?.drop();
  });

  const submit = (key: string | undefined, text: string, token?: string) =>
    api.call('POST', `/v1/patients/${patientId}/notes`, {
      ...(token ? { token } : { role: 'doctor' as const }),
      body: { text },
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const notesWith = async (text: string) =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE patient_id = $1 AND text = $2', [patientId, text]))[0]!.n;

  it('answers a retry with the first answer and stores the note once', async () => {
    const text = `Assessment: hypertension. ${Math.random()}`;
    const first = await submit('retry-1', text);
    expect(first.status).toBe(202);
    const body = await first.json();
    const again = await submit('retry-1', text);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(`/v1/notes/${body.noteId}`);
    expect(await again.json()).toEqual(body);
    expect(await notesWith(text)).toBe(1);
  });

  it('refuses another body under a used key with 422 and stores nothing', async () => {
    await submit('reuse-1', 'Assessment: asthma.');
    const other = await submit('reuse-1', 'Assessment: gout.');
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await other.json()).type).toBe('/problems/idempotency-key-reuse');
    expect(await notesWith('Assessment: gout.')).toBe(0);
  });

  it('lets concurrent duplicates create one note between them', async () => {
    const text = `Assessment: migraine. ${Math.random()}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit('concurrent-1', text)));
    const accepted = answers.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of answers.filter((r) => r.status !== 202)) {
      expect(r.status).toBe(409);
      expect(r.headers.get('retry-after')).toBe('1');
      expect((await r.json()).type).toBe('/problems/idempotency-key-in-use');
    }
    expect(new Set(await Promise.all(accepted.map(async (r) => (await r.json()).noteId))).size).toBe(1);
    expect(await notesWith(text)).toBe(1);
  });

  it('keeps keys apart per API key, and leaves requests without a key alone', async () => {
    const other = (await createApiKey(t.db, 'doctor', 'second doctor')).token;
    const text = `Assessment: eczema. ${Math.random()}`;
    const mine = await (await submit('shared-value', text)).json();
    const theirs = await (await submit('shared-value', text, other)).json();
    expect(theirs.noteId).not.toBe(mine.noteId);
    await submit(undefined, text);
    expect(await notesWith(text)).toBe(3);
  });

  it('releases the key when the request fails, so a corrected retry runs', async () => {
    const bad = await api.call('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text: '' }, headers: { 'idempotency-key': 'fail-then-fix' } });
    expect(bad.status).toBe(400);
    const fixed = await submit('fail-then-fix', 'Assessment: anemia, fixed.');
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a malformed key with 400', async () => {
    expect((await submit('x'.repeat(256), 'Assessment: ok.')).status).toBe(400);
    expect((await submit('has space', 'Assessment: ok.')).status).toBe(400);
  });

  it('takes over a first request left unanswered by a dead process without a second note', async () => {
    const text = `Assessment: cellulitis. ${Math.random()}`;
    const first = await (await submit('crash-1', text)).json();
    // As if the process had died after saving the note but before storing its answer.
    await t.db.query(`UPDATE idempotency_keys SET status = NULL, response_body = NULL, started_at = now() - interval '1 minute' WHERE idempotency_key = 'crash-1'`);
    const retry = await submit('crash-1', text);
    expect(retry.status).toBe(202);
    expect((await retry.json()).noteId).toBe(first.noteId);
    expect(await notesWith(text)).toBe(1);
  });

  it('forgets a key after 24 hours', async () => {
    await submit('old-1', 'Assessment: old note.');
    await t.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = 'old-1'`);
    const fresh = await submit('old-1', 'Assessment: new note.');
    expect(fresh.status).toBe(202);
    expect(await notesWith('Assessment: new note.')).toBe(1);
  });
});
