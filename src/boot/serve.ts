import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../api/app.ts';
import { answerClientErrorsAsProblems } from '../api/client-errors.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { modelLocationsOf } from '../config/paths.ts';
import { acquireEmbeddedLock } from '../db/embedded-lock.ts';
import { createFirstAdminKey } from '../access/api-keys-service.ts';
import { installModelFiles } from '../model-files.ts';
import { missingModelFiles, preloadModels } from '../preload.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { startWorkers, type WorkerHandle } from '../../workers/index.ts';
import { reportCommandError } from '../cli/runtime.ts';

export interface ServeOptions {
  /** Run the API server (false for `clinote worker`). */
  api: boolean;
  /** Run the job workers in this process. */
  workers: boolean;
}

/** A long-running process: API and/or workers until SIGINT/SIGTERM, then a graceful shutdown. */
export async function runService(options: ServeOptions): Promise<void> {
  let runtime: Runtime | undefined;
  let release: (() => void) | undefined;
  let server: ServerType | undefined;
  let workers: WorkerHandle | undefined;
  try {
    const started = performance.now();
    const config = loadConfig();
    const models = modelLocationsOf(config);
    installModelFiles(models);
    const missing = missingModelFiles(models);
    if (missing.length > 0) throw new ConfigError(`Model files not found:\n${missing.map((m) => `  ${m}`).join('\n')}`);
    if (config.storage === 'pglite') release = acquireEmbeddedLock(config.dataDir, options.api ? 'clinote serve' : 'clinote worker');
    runtime = await openRuntime(config);
    const rt = runtime;
    if (options.workers) workers = await startWorkers(rt);
    if (options.api) {
      await bootstrapAdminKey(rt);
      const app = createApp(rt);
      await new Promise<void>((resolve) => {
        server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
          rt.logger.info(
            { host: config.HOST, port: info.port, storage: config.storage, queue: rt.queue.driver, workers: options.workers, startupMs: Math.round(performance.now() - started) },
            'clinote listening',
          );
          process.stderr.write(`Clinote listening on http://${config.HOST}:${info.port} (storage: ${config.storage}, queue: ${rt.queue.driver}${options.workers ? ', with workers' : ''})\n`);
          resolve();
        });
        answerClientErrorsAsProblems(server as Server);
      });
    } else {
      rt.logger.info({ storage: config.storage, queue: rt.queue.driver }, 'clinote worker started');
    }
    if (config.CLINOTE_PRELOAD_MODELS) {
      // Job work runs on the compute pool's threads, which load their own models; this thread needs them only for API requests.
      if (options.workers) rt.compute.start();
      if (options.api) void preloadInBackground(rt);
    }
  } catch (error) {
    await runtime?.close();
    release?.();
    reportCommandError(error);
    return;
  }
  const shutdown = async (signal: string) => {
    runtime!.logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await workers?.stop();
    await runtime!.close();
    release?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Models load after the server listens: /health answers at once, and the first note or coding request does not wait. */
async function preloadInBackground(runtime: Runtime): Promise<void> {
  const started = performance.now();
  const { steps, failed } = await preloadModels();
  const totalMs = Math.round(performance.now() - started);
  if (failed) {
    runtime.logger.warn({ step: failed.name, err: failed.error, steps }, 'a model failed to preload; it will load on first use');
  } else {
    runtime.logger.info({ totalMs, steps }, 'models preloaded');
  }
}

/**
 * First run: nothing is open by default, so with no active admin key the server creates one and
 * prints it once to the terminal (never to the JSON log). It is not stored anywhere in plaintext.
 */
async function bootstrapAdminKey(runtime: Runtime): Promise<void> {
  const token = await createFirstAdminKey(runtime.db);
  if (!token) return;
  process.stderr.write(
    `\nNo admin API key existed, so one was created. It is shown only this once:\n\n  ${token}\n\n` +
      'Use it to create role keys (POST /v1/keys, or `clinote keys create --role doctor` while the server is stopped).\n\n',
  );
}
