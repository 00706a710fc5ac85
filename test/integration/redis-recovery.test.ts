import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdminKey, callApi } from '../../eval/bench/service-process.ts';
import { killHard, startServe, startWorker, type WorkerProcess } from '../support/cli-process.ts';
import { createPgTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

describe.runIf(postgresAvailable && redisAvailable)('recovery after Redis loses its keys', () => {
  const procs: WorkerProcess[] = [];
  let t: TestDatabase;
  afterAll(async () => {
    await Promise.all(procs.map(killHard));
    await t?.drop();
  });

  it('the running worker notices the lost jobs and finishes every pending note within 30 s, with no new worker', async () => {
    t = await createPgTestDatabase();
    const prefix = uniqueRedisPrefix();
    const env = {
      ...process.env,
      DATABASE_URL: t.url!,
      REDIS_URL: TEST_REDIS_URL,
      CLINOTE_QUEUE_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      CLINOTE_DATA_DIR: '/tmp/clinote-redis-recovery',
      CLINOTE_COMPUTE_THREADS: '1',
    };
    const redis = new Redis(TEST_REDIS_URL);
    const server = await startServe(env);
    procs.push(server);
    const worker = await startWorker(env);
    procs.push(worker);

    const base = `http://127.0.0.1:${server.port}`;
    const admin = bootstrapAdminKey(server.output());
    const doctor = (await callApi<{ token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'dr' })).token;
    const patient = (await callApi<{ id: string }>(base, 'POST', '/v1/patients', doctor, { mrn: 'REDIS-LOSS-1' })).id;
    const createNote = async (i: number) =>
      (await callApi<{ noteId: string }>(base, 'POST', `/v1/patients/${patient}/notes`, doctor, { text: `Note ${i}: asthma, on salbutamol as needed. `.repeat(20) })).noteId;
    const unfinished = async (ids: string[]) =>
      (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE id = ANY($1::uuid[]) AND status <> 'processed'`, [ids]))[0]!.n;

    // The worker is warm (its models loaded) before the loss, so what follows times the recovery, not a start.
    const warm = await createNote(0);
    await waitFor(async () => (await unfinished([warm])) === 0, 120_000, 'the first note processed');

    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => createNote(i + 1)));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    const lostAt = Date.now();
    const pending = await unfinished(ids);
    expect(keys.length).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(0);

    await waitFor(async () => (await unfinished(ids)) === 0, 30_000, 'every pending note processed after the loss');
    const recoveryS = (Date.now() - lostAt) / 1000;
    expect(recoveryS).toBeLessThan(30);
    // The same worker process did it, through its lost-work check (not a start-up reconcile).
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output()).toMatch(/fewer jobs than the database has unfinished work; reconciling/);
    const processedTwice = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE patient_id = $1`, [patient]);
    expect(processedTwice[0]!.n).toBe(13);
    redis.disconnect();
  }, 240_000);
});
