/**
 * `clinote bench burst`: the embedded default (`clinote serve`, PGlite, in-process jobs) under a burst of large
 * notes. While the burst is sent and processed, `/health` is probed back to back; afterwards every note is read
 * back to check that each accepted note was stored exactly once and processed. A second pass re-sends every note
 * under its key, as a client that lost the answers would, and must get the first note back each time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot, sharedDataDir } from '../../src/config/paths.ts';
import { benchmarkNotes } from '../bench-structure.ts';
import { percentile } from './load.ts';
import { burstNotes, checkStored, probeHealth, submitNotes, waitForProcessing } from './note-burst.ts';
import { bootstrapAdminKey, callApi as api, eventLoopDelayMs, startServer } from './service-process.ts';

export interface BenchBurstOptions {
  notes: number;
  noteBytes: number;
  /** Clients sending at once. */
  concurrency: number;
  /** Client timeout per POST attempt. */
  timeoutMs: number;
  /** Give up waiting for processing after this long. */
  drainTimeoutS: number;
  /** Extra environment for the server (e.g. CLINOTE_COMPUTE_THREADS, CLINOTE_MAX_PENDING_JOBS). */
  serverEnv?: Record<string, string>;
}

export interface BenchBurstResult {
  suite: 'burst';
  notes: number;
  note_bytes: number;
  accepted: number;
  abandoned: number;
  stored: number;
  processed: number;
  failed: number;
  lost: number;
  duplicated: number;
  replayed_same_note: number;
  resets: number;
  timeouts: number;
  retries: number;
  status_503: number;
  health_probes: number;
  health_p50_ms: number;
  health_p99_ms: number;
  health_max_ms: number;
  /** The server's own event-loop delay during the burst and its processing (10 ms sampling included). */
  event_loop_p99_ms: number;
  event_loop_max_ms: number;
  post_p99_ms: number;
  submit_s: number;
  drain_s: number;
}

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchBurst(options: BenchBurstOptions, log: (s: string) => void): Promise<BenchBurstResult> {
  const corpus = benchmarkNotes(sharedDataDir());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-burst-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CLINOTE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...options.serverEnv };
  delete env.REDIS_URL;
  delete env.DATABASE_URL;
  const server = await startServer([cli, 'serve'], env, /listening on http:\/\/[\d.]+:(\d+)/);
  try {
    const admin = bootstrapAdminKey(server.output());
    const base = `http://127.0.0.1:${server.port}`;
    const doctor = (await api<{ token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'burst bench' })).token;
    const patient = await api<{ id: string }>(base, 'POST', '/v1/patients', doctor, { mrn: `BURST-${Date.now()}` });

    log('warming up: models loading on the server and its compute threads');
    for (;;) {
      const ready = await api<{ models: string }>(base, 'GET', '/ready', doctor);
      if (ready.models !== 'loading' && ready.models !== 'not started') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const warm = await api<{ noteId: string }>(base, 'POST', `/v1/patients/${patient.id}/notes`, doctor, { text: corpus[0] });
    await waitForProcessing(() => base, doctor, patient.id, Date.now() + 300_000);

    const notes = burstNotes(`burst-${Date.now().toString(36)}`, options.notes, options.noteBytes, corpus);
    log(`burst: ${notes.length} notes of ${options.noteBytes} bytes, ${options.concurrency} clients at once`);
    await eventLoopDelayMs(base); // starts the window
    const health = probeHealth(() => base);
    const started = performance.now();
    const submit = { concurrency: options.concurrency, timeoutMs: options.timeoutMs, attempts: 30, base: () => base };
    const stats = await submitNotes(doctor, patient.id, notes, submit);
    const submitS = (performance.now() - started) / 1000;
    log(`sent in ${round(submitS)} s: ${stats.accepted.size} accepted; waiting for processing`);
    await waitForProcessing(() => base, doctor, patient.id, Date.now() + options.drainTimeoutS * 1000);
    const drainS = (performance.now() - started) / 1000;
    const probes = await health.stop();
    const loop = await eventLoopDelayMs(base);

    log('replay: every note again under its key');
    const replay = await submitNotes(doctor, patient.id, notes, submit);
    const replayedSame = [...replay.accepted].filter(([key, noteId]) => stats.accepted.get(key) === noteId).length;
    const stored = await checkStored(base, doctor, patient.id, stats.accepted);
    const sortedPosts = [...stats.latenciesMs].sort((a, b) => a - b);
    return {
      suite: 'burst',
      notes: notes.length,
      note_bytes: options.noteBytes,
      accepted: stats.accepted.size,
      abandoned: stats.abandoned.length,
      // The warm-up note is not part of the burst.
      stored: stored.stored - 1,
      processed: stored.processed - (warm.noteId ? 1 : 0),
      failed: stored.failed,
      lost: stored.lost,
      duplicated: stored.duplicated,
      replayed_same_note: replayedSame,
      resets: stats.resets + replay.resets,
      timeouts: stats.timeouts + replay.timeouts,
      retries: stats.retries,
      status_503: stats.statuses['503'] ?? 0,
      health_probes: probes.probes,
      health_p50_ms: round(probes.p50Ms),
      health_p99_ms: round(probes.p99Ms),
      health_max_ms: round(probes.maxMs),
      event_loop_p99_ms: loop.p99,
      event_loop_max_ms: loop.max,
      post_p99_ms: round(percentile(sortedPosts, 99)),
      submit_s: round(submitS),
      drain_s: round(drainS),
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
