import { AuditWriter } from './access/audit-service.ts';
import { createComputePool, type ComputePool } from './compute/pool.ts';
import { secureDataDir } from './config/data-dir.ts';
import type { Config } from './config/env.ts';
import { modelLocationsOf } from './config/paths.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { createMetrics, Gauge, type Metrics } from './metrics/registry.ts';
import type { JobQueue } from './queue/job-queue.ts';
import { openJobQueue } from './queue/open.ts';

/** Everything a process (API server, worker, CLI command) shares: opened once, closed once. */
export interface Runtime {
  readonly config: Config;
  readonly db: Database;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Audit events, written with group commit. */
  readonly audit: AuditWriter;
  /** Worker threads for CPU-heavy note and image work (started on first use). */
  readonly compute: ComputePool;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  logger?: Logger;
  /** Reuse an already opened database (tests). */
  db?: Database;
  /** Bring the schema up to date on opening (default true; `clinote migrate` does it itself to report what it applied). */
  migrate?: boolean;
}

export async function openRuntime(config: Config, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  secureDataDir(config.dataDir);
  const db = options.db ?? (await openDatabase(config, { migrate: options.migrate ?? true }));
  const queue = openJobQueue(config);
  const metrics = createMetrics();
  metrics.registry.register(
    new Gauge('clinote_jobs_waiting', 'Jobs waiting, delayed or running by name', async () =>
      Object.entries(await queue.counts()).map(([name, n]) => [{ name }, n]),
    ),
  );
  const audit = new AuditWriter(db);
  const compute = createComputePool({
    threads: config.CLINOTE_COMPUTE_THREADS,
    preload: config.CLINOTE_PRELOAD_MODELS,
    models: modelLocationsOf(config),
  });
  let closed = false;
  return {
    config,
    db,
    queue,
    logger,
    metrics,
    audit,
    compute,
    async close() {
      if (closed) return;
      closed = true;
      await audit.drain();
      await queue.close();
      await compute.close();
      if (!options.db) await db.close();
    },
  };
}
