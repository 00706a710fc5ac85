/**
 * The history-reindex job's definition (name, payload, deterministic id, enqueue). The handler lives in
 * `workers/reindex.ts`.
 */
import { getEmbedder } from '../ml/embedder.ts';
import { enqueueTracked, jobIdOf } from '../queue/bookkeeping.ts';
import type { JobPayload } from '../queue/job-queue.ts';
import type { Runtime } from '../runtime.ts';

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
