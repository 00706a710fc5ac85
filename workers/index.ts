import type { JobHandler } from '../src/queue/job-queue.ts';
import { jobBookkeeping } from '../src/queue/bookkeeping.ts';
import type { Runtime } from '../src/runtime.ts';
import { NOTE_PIPELINE_JOB, notePipelineHandler } from './note-pipeline.ts';
import { buildNoteStages } from './note-stages.ts';
import { IMAGE_TRIAGE_JOB, imageTriageHandler } from './image-triage.ts';
import { HISTORY_REINDEX_JOB, historyReindexHandler } from './reindex.ts';
import { reconcile } from './reconciler.ts';

/** Every job this codebase knows, with its handler bound to the runtime. */
export function jobHandlers(runtime: Runtime): Map<string, JobHandler> {
  return new Map<string, JobHandler>([
    [NOTE_PIPELINE_JOB, notePipelineHandler(runtime, buildNoteStages(runtime)) as JobHandler],
    [IMAGE_TRIAGE_JOB, imageTriageHandler(runtime) as JobHandler],
    [HISTORY_REINDEX_JOB, historyReindexHandler(runtime) as JobHandler],
  ]);
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * Starts consuming every job in this process, then reconciles once and every `reconcileEveryMs`
 * (work lost from Redis is picked up again without a restart).
 */
export async function startWorkers(runtime: Runtime, options: { reconcileEveryMs?: number } = {}): Promise<WorkerHandle> {
  await runtime.queue.work(jobHandlers(runtime), jobBookkeeping(runtime.db, runtime.metrics, runtime.logger));
  await reconcile(runtime);
  const every = options.reconcileEveryMs ?? 5 * 60_000;
  const timer = setInterval(() => {
    reconcile(runtime).catch((error: Error) => runtime.logger.error({ error: error.message }, 'reconcile failed'));
  }, every);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
