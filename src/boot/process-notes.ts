import { countUnfinishedNotes } from '../notes/repository.ts';
import type { Runtime } from '../runtime.ts';
import { ProgressBar } from '../cli/output.ts';

/**
 * Runs the note pipeline for these notes with workers in this process (joining any other workers on the
 * queue), showing a progress bar until every note is processed or failed. Returns how many failed.
 */
export async function processNotesHere(runtime: Runtime, noteIds: readonly string[], label: string): Promise<number> {
  if (noteIds.length === 0) return 0;
  const { startWorkers } = await import('../../workers/index.ts');
  const { enqueueNotePipeline } = await import('../notes/jobs.ts');
  const workers = await startWorkers(runtime);
  const bar = new ProgressBar(label, noteIds.length);
  const enqueued = (async () => {
    for (const id of noteIds) await enqueueNotePipeline(runtime, id, null);
  })();
  let shown = 0;
  let failed = 0;
  for (;;) {
    const state = await countUnfinishedNotes(runtime.db, noteIds);
    const done = noteIds.length - state.unfinished;
    bar.tick(done - shown);
    shown = done;
    failed = state.failed;
    if (state.unfinished === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await enqueued;
  bar.finish();
  await workers.stop();
  return failed;
}
