/**
 * `clinote bench bomb`: decompression bombs against a running embedded server (`clinote serve`: PGlite, in-process
 * jobs, the compute pool). Each bomb is uploaded several times while `/health` is probed back to back and the
 * server's resident memory is sampled; every bomb must get a 4xx within a second, `/health` must keep answering,
 * and memory must not balloon.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.ts';
import { deflateBombDicom, pngBomb } from '../../src/imaging/test-support/bombs.ts';
import { buildTestDicom } from '../../src/imaging/test-support/dicom-writer.ts';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { percentile } from './load.ts';
import { probeHealth } from './note-burst.ts';
import { bootstrapAdminKey, callApi as api, eventLoopDelayMs, startServer } from './service-process.ts';

export interface BenchBombOptions {
  /** Uploads of each bomb. */
  rounds: number;
}

interface BombOutcome {
  statuses: number[];
  p50_ms: number;
  max_ms: number;
  bytes: number;
}

export interface BenchBombResult {
  suite: 'bomb';
  bombs: Record<string, BombOutcome>;
  all_4xx: boolean;
  max_answer_ms: number;
  /** /health with no bomb in flight, just before: what this machine gives anyway. */
  idle_health_p50_ms: number;
  idle_health_p99_ms: number;
  health_probes: number;
  health_failures: number;
  health_p50_ms: number;
  health_p99_ms: number;
  health_max_ms: number;
  /** The server's own event-loop delay during the bombs (10 ms sampling included): what /health waited on the server itself. */
  event_loop_p99_ms: number;
  event_loop_max_ms: number;
  rss_baseline_mb: number;
  rss_peak_growth_mb: number;
  rss_after_growth_mb: number;
}

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Resident set size of a process in MB, from /proc (Linux). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function benchBomb(options: BenchBombOptions, log: (s: string) => void): Promise<BenchBombResult> {
  const bombs: Record<string, { bytes: Uint8Array; type: string }> = {
    'dicom-deflate-1gib': { bytes: deflateBombDicom(1024 ** 3), type: 'application/dicom' },
    'dicom-deflate-1gib-small-declared': { bytes: deflateBombDicom(1024 ** 3, { declaredSide: 512 }), type: 'application/dicom' },
    'dicom-65535x65535': { bytes: buildTestDicom({ rows: 65_535, columns: 65_535, bitsAllocated: 16, pixels: new Uint16Array(8) }), type: 'application/dicom' },
    'png-100000x100000': { bytes: pngBomb(100_000, 100_000), type: 'image/png' },
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-bomb-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CLINOTE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  delete env.DATABASE_URL;
  const server = await startServer([cli, 'serve'], env, /listening on http:\/\/[\d.]+:(\d+)/);
  try {
    const pid = server.child.pid!;
    const admin = bootstrapAdminKey(server.output());
    const base = `http://127.0.0.1:${server.port}`;
    const doctor = (await api<{ token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'bomb bench' })).token;
    const patient = await api<{ id: string }>(base, 'POST', '/v1/patients', doctor, { mrn: `BOMB-${Date.now()}` });
    const upload = async (bytes: Uint8Array, type: string) => {
      const started = performance.now();
      const res = await fetch(`${base}/v1/patients/${patient.id}/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${doctor}`, 'content-type': type },
        body: new Blob([new Uint8Array(bytes)]),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };

    log('warming up: models loading on the server and its compute threads, one real upload');
    for (;;) {
      const ready = await api<{ models: string }>(base, 'GET', '/ready', doctor);
      if (ready.models !== 'loading' && ready.models !== 'not started') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const warm = await upload(valPngs('pneumonia', 1)[0]!.bytes, 'image/png');
    if (warm.status !== 202) throw new Error(`a real chest X-ray upload answered ${warm.status}`);
    await new Promise((r) => setTimeout(r, 2000)); // its triage job finishes
    const idleProbe = probeHealth(() => base, 10);
    await new Promise((r) => setTimeout(r, 5000));
    const idle = await idleProbe.stop();
    const baseline = rssMb(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    await eventLoopDelayMs(base); // starts the window
    const health = probeHealth(() => base, 10);
    const outcomes: Record<string, BombOutcome> = {};
    try {
      for (const [name, bomb] of Object.entries(bombs)) {
        const answers: Array<{ status: number; ms: number }> = [];
        for (let i = 0; i < options.rounds; i++) answers.push(await upload(bomb.bytes, bomb.type));
        const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
        outcomes[name] = { statuses: [...new Set(answers.map((a) => a.status))], p50_ms: round1(percentile(sorted, 50)), max_ms: round1(sorted.at(-1)!), bytes: bomb.bytes.length };
        log(`${name} (${bomb.bytes.length} bytes): ${answers.map((a) => `${a.status} in ${Math.round(a.ms)} ms`).join(', ')}`);
      }
    } finally {
      clearInterval(sampler);
    }
    const probed = await health.stop();
    const loop = await eventLoopDelayMs(base);
    await new Promise((r) => setTimeout(r, 2000));
    const after = rssMb(pid);
    const all = Object.values(outcomes);
    return {
      suite: 'bomb',
      bombs: outcomes,
      all_4xx: all.every((o) => o.statuses.every((s) => s >= 400 && s < 500)),
      max_answer_ms: Math.max(...all.map((o) => o.max_ms)),
      idle_health_p50_ms: round1(idle.p50Ms),
      idle_health_p99_ms: round1(idle.p99Ms),
      health_probes: probed.probes,
      health_failures: probed.failures,
      health_p50_ms: round1(probed.p50Ms),
      health_p99_ms: round1(probed.p99Ms),
      health_max_ms: round1(probed.maxMs),
      event_loop_p99_ms: loop.p99,
      event_loop_max_ms: loop.max,
      rss_baseline_mb: round1(baseline),
      rss_peak_growth_mb: round1(peak - baseline),
      rss_after_growth_mb: round1(after - baseline),
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
