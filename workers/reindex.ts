import { poolEmbedder } from '../src/compute/embedder.ts';
import { reindexHistory } from '../src/history/reindex-service.ts';
import type { HistoryReindexPayload } from '../src/history/jobs.ts';
import type { JobHandler } from '../src/queue/job-queue.ts';
import type { Runtime } from '../src/runtime.ts';

/**
 * Re-embeds the passages another model made. Idempotent and resumable: re-embedded passages drop out of
 * the work list, so a retried or duplicate run only does what is left. Stops when the configured model is
 * no longer the one the job was for.
 */
export function historyReindexHandler(runtime: Runtime): JobHandler<HistoryReindexPayload> {
  return async (payload, context) => {
    // The configured model run on the compute pool: re-embedding a history never holds up the thread serving HTTP.
    const embedder = await poolEmbedder(runtime.compute);
    const log = runtime.logger.child({ jobId: context.jobId, requestId: payload.requestId });
    if (embedder.modelId !== payload.modelId) {
      log.info({ configured: embedder.modelId, target: payload.modelId }, 'model changed again; nothing to do');
      return;
    }
    const result = await reindexHistory(runtime.db, embedder, { mode: 'stale' });
    log.info({ embedded: result.embedded, modelId: result.modelId }, 'history re-embedded');
  };
}
