/**
 * Start-up on the embedded default, measured from outside: a fresh `clinote serve` (new PGlite folder) is launched
 * twice, once loading models on first use (CLINOTE_PRELOAD_MODELS=false) and once preloading them after it listens
 * (the default). For each: milliseconds from launch to the first /health answer, and the latency of the first
 * coding request (POST /v1/icd10/suggest, which structures the text too). With preloading, also when the models
 * were loaded and the slowest /health answer while they loaded (the event loop is busy during each step).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.ts';
import { bootstrapAdminKey, callApi, startServer } from './service-process.ts';

export interface BenchStartupResult {
  suite: 'bench-startup';
  /** Launch → first /health answer, models loading on first use. */
  health_ms_lazy: number;
  /** First suggestion request right after start, models loading on first use. */
  first_suggest_ms_lazy: number;
  /** Launch → first /health answer, preloading. */
  health_ms_preload: number;
  /** Launch → /ready reports the models loaded. */
  models_loaded_ms: number;
  /** Slowest /health answer (polled every 50 ms) while the models loaded. */
  health_max_ms_while_loading: number;
  /** First suggestion request once the models are loaded. */
  first_suggest_ms_preloaded: number;
}

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');

// Invented note text (no patient data): a typical outpatient assessment.
const noteText =
  'Chief complaint: shortness of breath.\n\nHPI: 67-year-old man with COPD and type 2 diabetes mellitus presents with two days of ' +
  'worsening dyspnea and productive cough. No chest pain. Mother had breast cancer.\n\nMedications: metformin 500 mg PO BID, ' +
  'albuterol inhaler prn.\n\nAssessment and plan: 1. COPD exacerbation: prednisone 40 mg daily for 5 days. 2. Type 2 diabetes ' +
  'mellitus with hyperglycemia. 3. Hypertension, continue lisinopril 10 mg daily.';

interface Launch {
  healthMs: number;
  base: string;
  coder: string;
  started: number;
  stop: () => Promise<void>;
  dataDir: string;
}

async function launch(preload: boolean): Promise<Launch> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-bench-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CLINOTE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', CLINOTE_PRELOAD_MODELS: String(preload) };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const started = performance.now();
  const server = await startServer([cli, 'serve'], env, /listening on http:\/\/[\d.]+:(\d+)/);
  const base = `http://127.0.0.1:${server.port}`;
  for (;;) {
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const healthMs = performance.now() - started;
  const coder = (await callApi<{ token: string }>(base, 'POST', '/v1/keys', bootstrapAdminKey(server.output()), { role: 'coder', label: 'bench' })).token;
  return { healthMs, base, coder, started, stop: server.stop, dataDir };
}

async function timedSuggest(base: string, token: string): Promise<number> {
  const t0 = performance.now();
  await callApi(base, 'POST', '/v1/icd10/suggest', token, { text: noteText });
  return performance.now() - t0;
}

async function close(run: Launch): Promise<void> {
  await run.stop();
  rmSync(run.dataDir, { recursive: true, force: true });
}

export async function benchStartup(log: (s: string) => void = () => undefined): Promise<BenchStartupResult> {
  log('start with models loading on first use');
  const lazy = await launch(false);
  let firstLazy: number;
  try {
    firstLazy = await timedSuggest(lazy.base, lazy.coder);
  } finally {
    await close(lazy);
  }

  log('start with models preloading');
  const eager = await launch(true);
  let loadedMs: number;
  let healthMax = 0;
  let firstPreloaded: number;
  try {
    for (;;) {
      const t0 = performance.now();
      await fetch(`${eager.base}/health`);
      healthMax = Math.max(healthMax, performance.now() - t0);
      const ready = (await (await fetch(`${eager.base}/ready`)).json()) as { models: string };
      if (ready.models === 'loaded') break;
      if (ready.models === 'failed') throw new Error('a model failed to preload (see the server log)');
      if (performance.now() - eager.started > 120_000) throw new Error('models did not load within 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    loadedMs = performance.now() - eager.started;
    firstPreloaded = await timedSuggest(eager.base, eager.coder);
  } finally {
    await close(eager);
  }
  const round = (v: number) => Math.round(v);
  return {
    suite: 'bench-startup',
    health_ms_lazy: round(lazy.healthMs),
    first_suggest_ms_lazy: round(firstLazy),
    health_ms_preload: round(eager.healthMs),
    models_loaded_ms: round(loadedMs),
    health_max_ms_while_loading: round(healthMax),
    first_suggest_ms_preloaded: round(firstPreloaded),
  };
}
