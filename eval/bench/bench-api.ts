import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.ts';
import { projectRoot } from '../../src/config/paths.ts';
import { runLoad, type LoadResult } from './load.ts';
import { bootstrapAdminKey, callApi as api, scratchDatabase, startServer, type ServerProcess } from './service-process.ts';

export interface BenchApiOptions {
  /** Seconds of load per server, split over alternating rounds. */
  seconds: number;
  connections: number;
  jobs: number;
  redisUrl: string;
  /** PostgreSQL for the API under test; unset → a temporary embedded PGlite folder. */
  databaseUrl?: string | undefined;
}

export interface BenchApiResult {
  suite: 'bench-api';
  api_rps: number;
  bare_rps: number;
  api_ratio: number;
  /** api ÷ bare in each alternating round: their spread shows how much the machine's load moved meanwhile. */
  api_ratio_by_round: number[];
  api_p50_ms: number;
  api_p99_ms: number;
  queue_jobs_per_s: number;
  bullmq_jobs_per_s: number;
  queue_ratio: number;
  storage: string;
  connections: number;
  /** Size of the processed note's body both servers send. */
  body_bytes: number;
}

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');

/** Rounds of equal length as one measurement: mean rate, median of the rounds' p50, worst p99. */
function combineRounds(rounds: readonly LoadResult[]): LoadResult {
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    rps: rounds.reduce((n, r) => n + r.rps, 0) / rounds.length,
    p50Ms: p50s[Math.floor(p50s.length / 2)]!,
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
  };
}

/** Polls the note until its processing job has finished, so the read measured is the processed note with its results. */
async function processedNote(base: string, token: string, noteId: string): Promise<Record<string, unknown>> {
  const deadline = performance.now() + 300_000;
  for (;;) {
    const note = await api<Record<string, unknown>>(base, 'GET', `/v1/notes/${noteId}`, token);
    if (note.status === 'processed') return note;
    if (note.status === 'failed') throw new Error(`the bench note failed processing: ${String(note.error)}`);
    if (performance.now() > deadline) throw new Error(`the bench note was still ${String(note.status)} after 300 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** GET /v1/notes/{id} of a processed note on the real service vs the same body from a bare Hono handler. */
async function benchHttp(
  options: BenchApiOptions,
  log: (s: string) => void,
): Promise<{ api: LoadResult; bare: LoadResult; rounds: number[]; storage: string; bodyBytes: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CLINOTE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  const database = options.databaseUrl ? await scratchDatabase(options.databaseUrl, 'bench_api') : undefined;
  if (database) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;
  // The bootstrap admin key printed on first start (an empty PGlite folder or scratch database) is the bench's credential.
  const server = await startServer([cli, 'serve'], env, /listening on http:\/\/[\d.]+:(\d+)/).catch(async (error: unknown) => {
    await database?.drop();
    throw error;
  });
  let bare: ServerProcess | undefined;
  try {
    // The server prints a bootstrap admin key before it listens when the database has none.
    const admin = bootstrapAdminKey(server.output());
    const base = `http://127.0.0.1:${server.port}`;
    const doctor = (await api<{ token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'bench' })).token;
    const patient = await api<{ id: string }>(base, 'POST', '/v1/patients', doctor, { mrn: `BENCH-${Date.now()}` });
    const text = 'Chief complaint: chest pain. '.repeat(100);
    const { noteId } = await api<{ noteId: string }>(base, 'POST', `/v1/patients/${patient.id}/notes`, doctor, { text });
    log('waiting for the note to be processed');
    const note = await processedNote(base, doctor, noteId);
    const bodyBytes = Buffer.byteLength(JSON.stringify(note));
    log(`processed note: ${bodyBytes} bytes of JSON`);
    bare = await startServer([path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(projectRoot, 'eval', 'bench', 'bare-server.ts')], { ...process.env, PORT: '0', BARE_BODY: JSON.stringify(note) }, /listening (\d+)/);
    const apiUrl = `${base}/v1/notes/${noteId}`;
    const bareUrl = `http://127.0.0.1:${bare.port}/v1/notes/${noteId}`;
    const headers = { authorization: `Bearer ${doctor}` };
    await runLoad(apiUrl, { connections: options.connections, seconds: 1, headers }); // warm-up
    await runLoad(bareUrl, { connections: options.connections, seconds: 1 });
    // Alternating short rounds: on a shared machine the load drifts within seconds, and measuring one server after
    // the other for the whole time compared the two under different loads.
    const rounds = Math.max(1, Math.round(options.seconds / 2));
    const load = { connections: options.connections, seconds: options.seconds / rounds };
    log(`api and bare alternating: ${rounds} rounds of ${load.seconds}s each × ${options.connections} connections`);
    const apiRounds: LoadResult[] = [];
    const bareRounds: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      apiRounds.push(await runLoad(apiUrl, { ...load, headers }));
      bareRounds.push(await runLoad(bareUrl, load));
    }
    const errors = apiRounds.reduce((n, x) => n + x.errors, 0);
    if (errors > 0) throw new Error(`${errors} API requests failed`);
    return { api: combineRounds(apiRounds), bare: combineRounds(bareRounds), rounds: apiRounds.map((a, i) => a.rps / bareRounds[i]!.rps), storage: options.databaseUrl ? 'postgres' : 'pglite', bodyBytes };
  } finally {
    await bare?.stop();
    await server.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** No-op jobs through Clinote's BullMQ driver vs bare BullMQ, same Redis, same concurrency. */
async function benchQueue(options: BenchApiOptions, log: (s: string) => void): Promise<{ driver: number; bare: number }> {
  const concurrency = 8;
  const prefix = `clinote-bench-${Date.now()}`;
  const n = options.jobs;

  log(`queue driver: ${n} no-op jobs`);
  const queue = createBullMqQueue({ redisUrl: options.redisUrl, prefix: `${prefix}-driver`, concurrency, attempts: 1 });
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  await queue.work(new Map([['noop', async () => undefined]]), {
    onCompleted: async () => {
      if (++done === n) finish();
    },
  });
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await queue.enqueue({ name: 'noop', id: `j${i}`, payload: { requestId: null } });
  await allDone;
  const driver = n / ((performance.now() - t0) / 1000);
  await queue.close();

  log(`bare BullMQ: ${n} no-op jobs`);
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const bareQueue = new Queue('noop', { connection, prefix: `${prefix}-bare` });
  const events = new QueueEvents('noop', { connection, prefix: `${prefix}-bare` });
  let bareDone = 0;
  let bareFinish!: () => void;
  const bareAll = new Promise<void>((r) => (bareFinish = r));
  const worker = new Worker('noop', async () => undefined, { connection, prefix: `${prefix}-bare`, concurrency });
  worker.on('completed', () => {
    if (++bareDone === n) bareFinish();
  });
  await worker.waitUntilReady();
  t0 = performance.now();
  for (let i = 0; i < n; i++) await bareQueue.add('noop', { requestId: null }, { jobId: `j${i}`, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
  await bareAll;
  const bare = n / ((performance.now() - t0) / 1000);
  await worker.close();
  await events.close();
  await bareQueue.obliterate({ force: true }).catch(() => undefined);
  await bareQueue.close();
  return { driver, bare };
}

export async function benchApi(options: BenchApiOptions, log: (s: string) => void = () => undefined): Promise<BenchApiResult> {
  const http = await benchHttp(options, log);
  const queue = await benchQueue(options, log);
  const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    suite: 'bench-api',
    api_rps: round(http.api.rps),
    bare_rps: round(http.bare.rps),
    api_ratio: round(http.api.rps / http.bare.rps, 3),
    api_ratio_by_round: http.rounds.map((r) => round(r, 3)),
    api_p50_ms: round(http.api.p50Ms, 2),
    api_p99_ms: round(http.api.p99Ms, 2),
    queue_jobs_per_s: round(queue.driver),
    bullmq_jobs_per_s: round(queue.bare),
    queue_ratio: round(queue.driver / queue.bare, 3),
    storage: http.storage,
    connections: options.connections,
    body_bytes: http.bodyBytes,
  };
}
