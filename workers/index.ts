import type { JobHandler } from '../src/queue/job-queue.ts';
import { jobBookkeeping } from '../src/queue/bookkeeping.ts';
import type { Runtime } from '../src/runtime.ts';
import { NOTE_PIPELINE_JOB } from '../src/notes/jobs.ts';
import { notePipelineHandler } from './note-pipeline.ts';
import { buildNoteStages } from '../src/notes/stage-service.ts';
import { HISTORY_REINDEX_JOB } from '../src/history/jobs.ts';
import { IMAGE_TRIAGE_JOB } from '../src/imaging/jobs.ts';
import { imageTriageHandler } from './image-triage.ts';
import { historyReindexHandler } from './reindex.ts';
import { hasLostWork, reconcile } from './reconciler.ts';

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

export interface WorkerOptions {
  /** Full reconcile period, in ms (default five minutes): a safety net. */
  reconcileEveryMs?: number;
  /** How often to look for work the database has and the queue lost, in ms (default 10 s); a reconcile follows at once. */
  lostWorkCheckMs?: number;
}

/**
 * Starts consuming every job in this process, then reconciles once, again whenever the queue is found to have
 * lost work the database still has (checked every `lostWorkCheckMs`), and every `reconcileEveryMs` regardless:
 * a flushed or restarted Redis is refilled within seconds by the workers already running.
 */
export async function startWorkers(runtime: Runtime, options: WorkerOptions = {}): Promise<WorkerHandle> {
  await runtime.queue.work(jobHandlers(runtime), jobBookkeeping(runtime.db, runtime.metrics, runtime.logger));
  await reconcile(runtime);
  let busy = false;
  // One reconcile at a time: with many unfinished notes one can outlast the check period.
  const reconcileUnlessBusy = async (when: () => Promise<boolean>) => {
    if (busy) return;
    busy = true;
    try {
      if (await when()) await reconcile(runtime);
    } catch (error) {
      runtime.logger.error({ error: (error as Error).message }, 'reconcile failed');
    } finally {
      busy = false;
    }
  };
  const timers = [
    setInterval(() => void reconcileUnlessBusy(async () => true), options.reconcileEveryMs ?? 5 * 60_000),
    setInterval(
      () =>
        void reconcileUnlessBusy(async () => {
          const lost = await hasLostWork(runtime);
          if (lost) runtime.logger.warn('the queue holds fewer jobs than the database has unfinished work; reconciling');
          return lost;
        }),
      options.lostWorkCheckMs ?? 10_000,
    ),
  ];
  for (const timer of timers) timer.unref();
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
