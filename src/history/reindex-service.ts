/**
 * Re-embedding stored passages with the configured model, in batches, resumable:
 * - `all` re-embeds every passage in scope; the last passage id done is saved after each batch, so a run
 *   that was interrupted continues where it stopped (for the same model).
 * - `stale` re-embeds only passages whose vectors another model made; finished passages drop out of the
 *   scope, so it resumes by itself. This is what a model change triggers.
 * When the whole index is current again, the index state records the model (and its HNSW index exists).
 */
import type { Database } from '../db/database.ts';
import type { Embedder } from '../ml/embedder.ts';
import {
  advanceReindexRun,
  countPassagesToEmbed,
  ensureCohortIndex,
  findReindexRun,
  finishReindexRun,
  nextPassagesToEmbed,
  startReindexRun,
  updatePassageEmbeddings,
  writeIndexState,
} from './passages-repository.ts';
import type { SectionType } from '../notes/structuring/section-catalog.ts';
import { modelRef } from './indexing-service.ts';
import { embeddingInput } from './passages.ts';

export interface ReindexOptions {
  /** Only this patient's passages. */
  patientId?: string | undefined;
  mode: 'all' | 'stale';
  batchSize?: number;
  /** Called after each batch with passages done so far and the total for this run. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReindexResult {
  modelId: string;
  embedded: number;
  /** Passages an interrupted earlier run had already done (mode all). */
  resumedAfter: number;
}

export async function reindexHistory(db: Database, embedder: Embedder, options: ReindexOptions): Promise<ReindexResult> {
  const model = modelRef(embedder);
  const batchSize = options.batchSize ?? 256;
  const scope = { patientId: options.patientId, staleFor: options.mode === 'stale' ? model.modelId : undefined };
  const runKey = options.mode === 'all' ? `all:${options.patientId ?? '*'}` : null;

  let cursor = '0';
  let resumedAfter = 0;
  if (runKey) {
    const run = await findReindexRun(db, runKey);
    if (run && !run.finishedAt && run.modelId === model.modelId) {
      cursor = run.cursor;
      resumedAfter = run.done;
    } else await startReindexRun(db, runKey, model.modelId);
  }
  // A new dimension needs its HNSW index before cross-patient searches use the new vectors.
  await ensureCohortIndex(db, model.dimension);

  const total = resumedAfter + (await countPassagesToEmbed(db, scope, cursor));
  let done = resumedAfter;
  options.onProgress?.(done, total);
  for (;;) {
    const batch = await nextPassagesToEmbed(db, scope, cursor, batchSize);
    if (batch.length === 0) break;
    const vectors = await embedder.embed(batch.map((p) => embeddingInput({ section: p.section as SectionType, text: p.text })));
    cursor = batch[batch.length - 1]!.id;
    done += batch.length;
    await db.transaction(async (tx) => {
      await updatePassageEmbeddings(tx, model, batch.map((p, i) => ({ id: p.id, embedding: vectors[i]! })));
      if (runKey) await advanceReindexRun(tx, runKey, cursor, done);
    });
    options.onProgress?.(done, total);
  }
  if (runKey) await finishReindexRun(db, runKey);
  if (!options.patientId) await writeIndexState(db, model);
  return { modelId: model.modelId, embedded: done - resumedAfter, resumedAfter };
}
