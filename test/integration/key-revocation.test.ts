import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openPgDatabase } from '../../src/db/pg-database.ts';
import { API_KEY_REVOKED_CHANNEL } from '../../src/access/api-keys-repository.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { createPgTestDatabase, postgresAvailable, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

// Two processes on one PostgreSQL database: each has its own connections, as two servers (or a server and a
// `clinote keys revoke`) would.
describe.runIf(postgresAvailable)('key revocation on PostgreSQL (LISTEN/NOTIFY)', () => {
  let t: TestDatabase;
  let otherDb: Database;
  let api: TestApi;
  let other: TestApi;
  beforeAll(async () => {
    t = await createPgTestDatabase();
    otherDb = openPgDatabase({ connectionString: t.url!, max: 3 });
    api = await createTestApi(t, { workers: false });
    other = await createTestApi({ db: otherDb, drop: () => otherDb.close() }, { workers: false });
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await api?.close();
    await otherDb?.close();
    await t?.drop();
  });

  it('applies a revocation made by another process at once, well inside the 1.5 s key cache', async () => {
    const created = await api.json('POST', '/v1/keys', { role: 'admin', body: { role: 'doctor', label: 'revoked soon' } });
    const token = created.body.token as string;
    expect((await other.call('GET', '/v1/me', { token })).status).toBe(200); // cached by the other process now
    expect((await api.call('DELETE', `/v1/keys/${created.body.id}`, { role: 'admin' })).status).toBeLessThan(300);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await other.call('GET', '/v1/me', { token })).status;
    }
    expect(status).toBe(401);
    // Polling alone would take until the cache entry expires (~1.5 s after it was made).
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('listens again after its connection is lost, and says so (a notification may have been missed)', async () => {
    const db = openPgDatabase({ connectionString: t.url!, max: 2 });
    let calls = 0;
    try {
      await db.listen(API_KEY_REVOKED_CHANNEL, () => calls++);
      await t.db.query('SELECT pg_notify($1, $2)', [API_KEY_REVOKED_CHANNEL, 'one']);
      await waitFor(async () => calls === 1, 5000, 'first notification');
      const killed = await t.db.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(killed[0]!.n).toBeGreaterThanOrEqual(1);
      await waitFor(async () => calls >= 2, 10_000, 'call after reconnecting');
      const before = calls;
      await t.db.query('SELECT pg_notify($1, $2)', [API_KEY_REVOKED_CHANNEL, 'two']);
      await waitFor(async () => calls > before, 5000, 'notification after reconnecting');
    } finally {
      await db.close();
    }
  }, 30_000);
});
