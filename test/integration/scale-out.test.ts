import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/paths.ts';
import { createPgTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

const stop = (p: Proc, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill(signal);
  });

describe.runIf(postgresAvailable && redisAvailable)('scale-out on PostgreSQL + Redis', () => {
  const procs: Proc[] = [];
  let t: TestDatabase;
  afterAll(async () => {
    await Promise.all(procs.map((p) => stop(p, 'SIGKILL')));
    await t?.drop();
  });

  it('loses no note when workers die and Redis is flushed: the reconciler finishes them', async () => {
    t = await createPgTestDatabase();
    const prefix = uniqueRedisPrefix();
    const env = { DATABASE_URL: t.url!, REDIS_URL: TEST_REDIS_URL, CLINOTE_QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'info', CLINOTE_DATA_DIR: '/tmp/clinote-scale-out' };

    // API only: notes are accepted and queued in Redis, nobody consumes them yet.
    const server = start(['serve'], env);
    procs.push(server);
    const port = Number((await waitFor(async () => /listening on http:\/\/[\d.]+:(\d+)/.exec(server.output())?.[1], 60_000, 'server start')));
    const admin = /(cln_[a-z0-9]{12}_[A-Za-z0-9_-]{43})/.exec(server.output())![1]!;
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, url: string, token: string, body?: unknown) => {
      const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const doctor = (await call('POST', '/v1/keys', admin, { role: 'doctor', label: 'dr' })).body.token as string;
    const patient = (await call('POST', '/v1/patients', doctor, { mrn: 'SCALE-1' })).body.id as string;
    const noteIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call('POST', `/v1/patients/${patient}/notes`, doctor, { text: `Note ${i}: hypertension, on amlodipine 5 mg daily.` });
      expect(r.status).toBe(202);
      noteIds.push(r.body.noteId);
    }

    // Redis loses everything (it keeps nothing on disk here).
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);

    // Two workers start; one is killed hard right away, possibly mid-job. (Workers load models on first use here: on
    // two cores, four processes preloading at once would only slow the test.)
    const workerEnv = { ...env, CLINOTE_PRELOAD_MODELS: 'false' };
    const w1 = start(['worker'], workerEnv);
    const w2 = start(['worker'], workerEnv);
    procs.push(w1, w2);
    await waitFor(async () => /clinote worker started/.test(w1.output()), 60_000, 'worker 1 start');
    await stop(w1, 'SIGKILL');
    // Flush again while worker 2 runs, then bring a replacement up: its start-up reconcile re-enqueues what is missing.
    const again = await redis.keys(`${prefix}:*`);
    if (again.length) await redis.del(...again);
    const w3 = start(['worker'], workerEnv);
    procs.push(w3);

    const statuses = await waitFor(async () => {
      const rows = await t.db.query<{ status: string }>('SELECT status FROM notes WHERE id = ANY($1::uuid[])', [noteIds]);
      return rows.every((r) => r.status === 'processed') ? rows : undefined;
    }, 120_000, 'all notes processed');
    expect(statuses).toHaveLength(30);
    redis.disconnect();
    // The server loaded its models in the background after it started listening, and says so on /ready.
    await waitFor(async () => /"msg":"models preloaded"/.test(server.output()), 60_000, 'model preload');
    expect(((await (await fetch(`${base}/ready`)).json()) as { models: string }).models).toBe('loaded');
    // Workers log ids and counts, never note text.
    expect(w2.output() + w3.output()).not.toContain('amlodipine');
  }, 240_000);
});
