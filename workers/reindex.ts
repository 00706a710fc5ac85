import { indexIsStale, modelRef } from '../src/history/indexing.ts';
import { poolEmbedder } from '../src/compute/embedder.ts';
import { reindexHistory } from '../src/history/reindex.ts';
import { getEmbedder, type Embedder } from '../src/ml/embedder.ts';
import { enqueueTracked, jobIdOf } from '../src/queue/bookkeeping.ts';
import type { JobHandler, JobPayload } from '../src/queue/job-queue.ts';
import type { Runtime } from '../src/runtime.ts';

export const HISTORY_REINDEX_JOB = 'history-reindex';

export interface HistoryReindexPayload extends JobPayload {
  /** The model the stored passages are to be re-embedded with. */
  readonly modelId: string;
}

/** One job per target model: every search or note that notices a model change enqueues the same id. */
export const historyReindexJobId = (modelId: string) => jobIdOf(HISTORY_REINDEX_JOB, modelId);

export async function enqueueHistoryReindex(runtime: Runtime, requestId: string | null): Promise<string> {
  const { modelId } = await getEmbedder();
  return enqueueTracked(
    runtime,
    { name: HISTORY_REINDEX_JOB, id: historyReindexJobId(modelId), payload: { modelId, requestId } satisfies HistoryReindexPayload },
    { type: 'history-index', id: modelId },
  );
}

/** Asks for the re-embedding job when the stored index was built with another model; true when it did. */
export async function requestReindexIfStale(runtime: Runtime, embedder: Embedder, requestId: string | null): Promise<boolean> {
  if (!(await indexIsStale(runtime.db, modelRef(embedder)))) return false;
  await enqueueHistoryReindex(runtime, requestId);
  return true;
}

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
