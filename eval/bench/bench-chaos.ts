/**
 * `clinote bench chaos`: one bounded run on PostgreSQL + Redis with an API server and two `clinote worker`s, all
 * child processes talking to 127.0.0.1 only. Clients send a burst of notes, each under its own Idempotency-Key,
 * retrying timeouts, resets, 409s and 503s with the same key. Meanwhile the run SIGKILLs a worker (it is not
 * replaced) and the API server (restarted on a new port, as a supervisor would). Once the burst is sent and a
 * backlog waits, every Redis key under the run's prefix is deleted, and later every PostgreSQL connection to the
 * run's database is terminated (pg_terminate_backend: restarting the shared local cluster would break other
 * users of it). Then every accepted note is read back: stored exactly once, and processed.
 *
 * recovery_s: from the Redis key loss until the queue again holds a job for every unfinished note, done by the
 * worker that was already running (no worker is started after the loss).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { sharedDataDir } from '../../src/config/paths.ts';
import { startServe, startWorker, killHard, type WorkerProcess } from '../../test/support/cli-process.ts';
import { benchmarkNotes } from '../bench-structure.ts';
import { burstNotes, checkStored, probeHealth, submitNotes, waitForProcessing } from './note-burst.ts';
import { bootstrapAdminKey, scratchDatabase, type ServerProcess } from './service-process.ts';

export interface BenchChaosOptions {
  /** Server holding the run's own database (created and dropped here). */
  databaseUrl: string;
  redisUrl: string;
  notes: number;
  noteBytes: number;
  concurrency: number;
  /** Longest wait for the backlog to be processed, seconds. */
  drainTimeoutS: number;
}

export interface BenchChaosResult {
  suite: 'chaos';
  accepted: number;
  lost: number;
  duplicated: number;
  health_p99_ms_during_burst: number;
  recovery_s: number | null;
  notes: number;
  abandoned: number;
  stored: number;
  processed: number;
  failed: number;
  unprocessed: number;
  retries: number;
  resets: number;
  timeouts: number;
  status_409: number;
  status_503: number;
  server_kills: number;
  worker_kills: number;
  redis_keys_deleted: number;
  pg_backends_terminated: number;
  drain_s: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A set-up call that survives the keep-alive race (the client reuses a connection the server is just closing:
 * "other side closed"); the warm-up note carries an Idempotency-Key, so a retried POST stores it once.
 */
async function setupCall<T>(base: () => string, method: string, url: string, token: string, body?: unknown, key?: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(base() + url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status}`);
      return (await res.json()) as T;
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error;
      await sleep(500);
    }
  }
}

export async function benchChaos(options: BenchChaosOptions, log: (s: string) => void): Promise<BenchChaosResult> {
  const database = await scratchDatabase(options.databaseUrl, 'chaos');
  const run = database.name;
  const databaseUrl = database.url;
  const prefix = `clinote-${run}`;
  const redis = new Redis(options.redisUrl);
  const procs: WorkerProcess[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl,
    CLINOTE_QUEUE_PREFIX: prefix,
    CLINOTE_DATA_DIR: `/tmp/clinote-${run}`,
    // Two cores for three processes: one compute thread each.
    CLINOTE_COMPUTE_THREADS: '1',
    PORT: '0',
    // Workers announce themselves at info level (startWorker waits for that line).
    LOG_LEVEL: 'info',
  };
  const queue = new Queue('note-pipeline', { connection: redis.duplicate() as never, prefix });
  try {
    log(`database ${run}, Redis prefix ${prefix}: starting an API server and two workers`);
    let server: ServerProcess = await startServe(env);
    procs.push(server);
    const [workerA, workerB] = await Promise.all([startWorker(env), startWorker(env)]);
    procs.push(workerA!, workerB!);
    let base = `http://127.0.0.1:${server.port}`;
    const current = () => base;
    const adminKey = bootstrapAdminKey(server.output());
    const doctor = (await setupCall<{ token: string }>(current, 'POST', '/v1/keys', adminKey, { role: 'doctor', label: 'chaos bench' })).token;
    const patient = await setupCall<{ id: string }>(current, 'POST', '/v1/patients', doctor, { mrn: `CHAOS-${Date.now()}` });

    const corpus = benchmarkNotes(sharedDataDir());
    log('warming up: one note through the workers');
    await setupCall(current, 'POST', `/v1/patients/${patient.id}/notes`, doctor, { text: `${corpus[0]}` }, `warm-up-${run}`);
    await waitForProcessing(current, doctor, patient.id, Date.now() + 300_000);

    const notes = burstNotes(`chaos-${Date.now().toString(36)}`, options.notes, options.noteBytes, corpus);
    log(`burst: ${notes.length} notes of ${options.noteBytes} bytes, ${options.concurrency} clients; a worker and the server are killed meanwhile`);
    const health = probeHealth(current);
    const sending = submitNotes(doctor, patient.id, notes, { concurrency: options.concurrency, timeoutMs: 10_000, attempts: 60, base: current });
    let serverKills = 0;
    let workerKills = 0;
    const chaos = (async () => {
      await sleep(3000);
      log('SIGKILL worker A (not replaced)');
      await killHard(workerA!);
      workerKills++;
      await sleep(3000);
      log('SIGKILL the API server, then start it again');
      await killHard(server);
      serverKills++;
      server = await startServe(env);
      procs.push(server);
      base = `http://127.0.0.1:${server.port}`;
    })();
    const [stats] = await Promise.all([sending, chaos]);
    const healthDuringBurst = await health.stop();
    log(`burst sent: ${stats.accepted.size} accepted, ${stats.abandoned.length} abandoned`);

    // A backlog waits in Redis now; it vanishes, and only worker B, already running, can bring it back.
    const dbUnfinished = new pg.Client({ connectionString: databaseUrl });
    await dbUnfinished.connect();
    const unfinished = async () => (await dbUnfinished.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE status NOT IN ('processed', 'failed')`)).rows[0]!.n;
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    const lostAt = Date.now();
    const backlog = await unfinished();
    log(`deleted ${keys.length} Redis keys with ${backlog} notes unfinished`);
    let recoveryS: number | null = null;
    while (Date.now() - lostAt < 120_000) {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const depth = Object.values(counts).reduce((a, b) => a + b, 0);
      const left = await unfinished();
      if (left === 0 || depth >= left) {
        recoveryS = (Date.now() - lostAt) / 1000;
        break;
      }
      await sleep(250);
    }
    await dbUnfinished.end();
    log(`queue refilled after ${recoveryS ?? 'more than 120'} s`);

    await sleep(2000);
    const terminated = await database.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [run]);
    log(`terminated ${terminated.rowCount} PostgreSQL connections to ${run}`);

    const drainStarted = Date.now();
    await waitForProcessing(current, doctor, patient.id, Date.now() + options.drainTimeoutS * 1000);
    const drainS = (Date.now() - drainStarted) / 1000;
    const stored = await checkStored(base, doctor, patient.id, stats.accepted);
    const warmUp = 1;
    return {
      suite: 'chaos',
      accepted: stats.accepted.size,
      lost: stored.lost,
      duplicated: stored.duplicated,
      health_p99_ms_during_burst: round(healthDuringBurst.p99Ms),
      recovery_s: recoveryS === null ? null : round(recoveryS),
      notes: notes.length,
      abandoned: stats.abandoned.length,
      stored: stored.stored - warmUp,
      processed: stored.processed - warmUp,
      failed: stored.failed,
      unprocessed: stored.stored - stored.processed - stored.failed,
      retries: stats.retries,
      resets: stats.resets,
      timeouts: stats.timeouts,
      status_409: stats.statuses['409'] ?? 0,
      status_503: stats.statuses['503'] ?? 0,
      server_kills: serverKills,
      worker_kills: workerKills,
      redis_keys_deleted: keys.length,
      pg_backends_terminated: terminated.rowCount ?? 0,
      drain_s: round(drainS),
    };
  } finally {
    await Promise.all(procs.map(killHard));
    await queue.close().catch(() => undefined);
    const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
    if (keys.length) await redis.del(...keys).catch(() => undefined);
    redis.disconnect();
    await database.drop();
  }
}
