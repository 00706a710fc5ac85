import { listUnfinishedNotes } from '../src/repositories/notes.ts';
import type { Runtime } from '../src/runtime.ts';
import { enqueueNotePipeline } from './note-pipeline.ts';
import { NOTE_PIPELINE_VERSION } from './note-stages.ts';

/**
 * The database is the source of truth and Redis may have lost everything (it keeps nothing on disk),
 * so this re-enqueues every note not yet processed at the current pipeline version. Job ids are
 * deterministic, so notes already waiting in the queue are not duplicated.
 */
export async function reconcileNotes(runtime: Runtime, batchSize = 500): Promise<number> {
  let after: { createdAt: Date; id: string } | undefined;
  let count = 0;
  for (;;) {
    const batch = await listUnfinishedNotes(runtime.db, NOTE_PIPELINE_VERSION, batchSize, after);
    for (const note of batch) await enqueueNotePipeline(runtime, note.id, null);
    count += batch.length;
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1];
  }
  if (count > 0) runtime.logger.info({ notes: count }, 'reconciler re-enqueued unfinished notes');
  return count;
}
