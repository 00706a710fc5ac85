import type { Database } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/registry.ts';
import { markJobActive, markJobCompleted, markJobFailed, upsertQueuedJob } from './jobs-repository.ts';
import type { EnqueueRequest, JobEvents, JobPayload, JobQueue } from './job-queue.ts';

/** The resource a job works on, recorded so `GET /v1/jobs/{id}` can say what it is about. */
export interface JobResource {
  type: string;
  id: string;
}

/**
 * A job id from its name and the parts that make it unique (BullMQ ids may not hold ':'; anything outside
 * word characters and `.@+-` becomes `_`). The same parts always give the same id, so a re-enqueue is a no-op.
 */
export const jobIdOf = (name: string, ...parts: string[]) => [name, ...parts.map((p) => p.replace(/[^\w.@+-]/g, '_'))].join('.');

/** Records the job in the database (the source of truth), then hands it to the queue driver; returns its id. */
export async function enqueueTracked<P extends JobPayload>(
  runtime: { readonly db: Database; readonly queue: JobQueue },
  request: EnqueueRequest<P>,
  resource: JobResource | null,
): Promise<string> {
  await upsertQueuedJob(runtime.db, {
    id: request.id,
    name: request.name,
    resourceType: resource?.type ?? null,
    resourceId: resource?.id ?? null,
    requestId: request.payload.requestId,
  });
  await runtime.queue.enqueue(request);
  return request.id;
}

/** Lifecycle events that keep the jobs table, metrics and logs in step with what the driver does. */
export function jobBookkeeping(db: Database, metrics: Metrics, logger: Logger): JobEvents {
  return {
    onActive: (jobId) => markJobActive(db, jobId),
    async onCompleted(jobId, name, ms) {
      await markJobCompleted(db, jobId);
      metrics.jobs.inc({ name, outcome: 'completed' });
      metrics.jobDuration.observe({ name }, ms / 1000);
      logger.debug({ jobId, job: name, ms }, 'job completed');
    },
    async onFailed(jobId, name, error, final) {
      await markJobFailed(db, jobId, error.message.slice(0, 500), final);
      metrics.jobs.inc({ name, outcome: final ? 'failed' : 'retry' });
      // The error name and message only: handlers never put patient text into error messages.
      logger.warn({ jobId, job: name, final, error: error.name, message: error.message.slice(0, 200) }, 'job attempt failed');
    },
  };
}
