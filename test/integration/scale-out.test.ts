import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdminKey, callApi } from '../../eval/bench/service-process.ts';
import { killHard, startServe, startWorker, type WorkerProcess } from '../support/cli-process.ts';
import { createPgTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

describe.runIf(postgresAvailable && redisAvailable)('scale-out on PostgreSQL + Redis', () => {
  const procs: WorkerProcess[] = [];
  let t: TestDatabase;
  afterAll(async () => {
    await Promise.all(procs.map(killHard));
    await t?.drop();
  });

  it('loses no note when a worker dies mid-job and Redis is flushed: the reconciler finishes it', async () => {
    t = await createPgTestDatabase();
    const prefix = uniqueRedisPrefix();
    const env = { ...process.env, DATABASE_URL: t.url!, REDIS_URL: TEST_REDIS_URL, CLINOTE_QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'info', CLINOTE_DATA_DIR: '/tmp/clinote-scale-out' };
    const redis = new Redis(TEST_REDIS_URL);
    const flushRedis = async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      return keys.length;
    };
    const noteRows = (ids: string[]) =>
      t.db.query<{ id: string; status: string; processed: boolean; attempts: number; job: string }>(
        `SELECT n.id, n.status, COALESCE(n.processed_version = n.pipeline_version, false) AS processed, j.attempts, j.status AS job
         FROM notes n JOIN jobs j ON j.resource_type = 'note' AND j.resource_id = n.id::text WHERE n.id = ANY($1::uuid[])`,
        [ids],
      );

    // The API without workers, and one worker process: it is the only consumer, so a note in `processing` is one
    // it claimed. (Workers load models on first use here, which keeps the first job running for seconds; on two
    // cores, preloading in several processes at once would only slow the test.)
    const server = await startServe(env);
    procs.push(server);
    const workerEnv = { ...env, CLINOTE_PRELOAD_MODELS: 'false' };
    const w1 = await startWorker(workerEnv);
    procs.push(w1);

    const base = `http://127.0.0.1:${server.port}`;
    const admin = bootstrapAdminKey(server.output());
    const doctor = (await callApi<{ token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'dr' })).token;
    const patient = (await callApi<{ id: string }>(base, 'POST', '/v1/patients', doctor, { mrn: 'SCALE-1' })).id;
    const createNote = async (i: number) =>
      (await callApi<{ noteId: string }>(base, 'POST', `/v1/patients/${patient}/notes`, doctor, { text: `Note ${i}: hypertension, on amlodipine 5 mg daily.` })).noteId;

    // w1 claims the first note and dies hard while it holds it.
    const first = await createNote(0);
    await waitFor(async () => (await noteRows([first]))[0]!.status === 'processing', 60_000, 'worker 1 claims the note');
    await killHard(w1);
    // Read after the kill, and nobody else consumes: the job was still running when w1 died.
    expect((await noteRows([first]))[0]).toMatchObject({ status: 'processing', processed: false, job: 'active', attempts: 1 });

    // More notes arrive while no worker runs; they wait in Redis.
    const noteIds = [first];
    for (let i = 1; i < 30; i++) noteIds.push(await createNote(i));

    // Redis loses everything (it keeps nothing on disk here): the queued jobs and w1's active ones. Two fresh
    // workers come up; only their start-up reconcile, reading the database, can bring those notes back.
    expect(await flushRedis()).toBeGreaterThan(0);
    procs.push(...(await Promise.all([startWorker(workerEnv), startWorker(workerEnv)])));

    // Processed at the current pipeline version, and the job bookkeeping agrees (it is written just after the note).
    const rows = await waitFor(async () => {
      const all = await noteRows(noteIds);
      return all.every((n) => n.status === 'processed' && n.processed && n.job === 'completed') ? all : undefined;
    }, 120_000, 'all notes processed');
    expect(rows).toHaveLength(30);
    // The interrupted note was run again from the start after w1 died.
    expect(rows.find((n) => n.id === first)!.attempts).toBeGreaterThanOrEqual(2);
    redis.disconnect();

    // The server loaded its models in the background after it started listening, and says so on /ready.
    await waitFor(async () => /"msg":"models preloaded"/.test(server.output()), 60_000, 'model preload');
    expect(((await (await fetch(`${base}/ready`)).json()) as { models: string }).models).toBe('loaded');
    // Workers log ids and counts, never note text.
    expect(procs.map((p) => p.output()).join('\n')).not.toContain('amlodipine');
  }, 180_000);
});
