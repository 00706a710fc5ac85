import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../../../test/support/api.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../../../../test/support/backends.ts';

describe('backpressure on submits', () => {
  let t: TestDatabase;
  let api: TestApi;
  let patientId: string;
  beforeAll(async () => {
    t = await createPgliteTestDatabase();
    // No workers, so enqueued jobs stay pending and the queue depth is exact.
    api = await createTestApi(t, { workers: false, env: { CLINOTE_MAX_PENDING_JOBS: '2' } });
    patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `BUSY-${Date.now()}` } })).body.id;
  });
  afterAll(async () => {
    await api?.close();
    await t?.drop();
  });

  const submit = (text: string, key?: string) =>
    api.call('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text }, headers: key ? { 'idempotency-key': key } : {} });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('refuses new work past CLINOTE_MAX_PENDING_JOBS with 503 problem+json and Retry-After, saving nothing', async () => {
    expect((await submit('Assessment: one.', 'busy-1')).status).toBe(202);
    expect((await submit('Assessment: two.')).status).toBe(202);
    await sleep(300); // past the depth reading's reuse window
    const refused = await submit('Assessment: three.');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await refused.json()).type).toBe('/problems/busy');
    const image = await api.call('POST', `/v1/patients/${patientId}/images`, { role: 'doctor', body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/octet-stream' } });
    expect(image.status).toBe(503);
    const stored = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE patient_id = $1', [patientId]);
    expect(stored[0]!.n).toBe(2);
  });

  it('still replays an accepted submit while busy (it adds no work)', async () => {
    const replay = await submit('Assessment: one.', 'busy-1');
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lets reads through while busy', async () => {
    expect((await api.call('GET', `/v1/patients/${patientId}/notes`, { role: 'doctor' })).status).toBe(200);
  });
});
