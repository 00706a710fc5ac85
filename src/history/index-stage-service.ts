import { storeNoteIndex } from './indexing-service.ts';
import { JsonText } from '../notes/pipeline.ts';

import type { Runtime } from '../runtime.ts';
import { enqueueHistoryReindex } from './jobs.ts';
import type { Note } from '../notes/types.ts';

/** The structuring stage's output as JSON text, when it ran before this stage. */
export const structureJsonOf = (earlier: Readonly<Record<string, unknown>>) => (earlier.structure instanceof JsonText ? earlier.structure.json : undefined);

/**
 * The `index` note stage: passages, embeddings and facts of the note computed on the compute pool, then stored
 * into the patient's history. When it finds the stored index built with another model, it asks for the
 * re-embedding job.
 */
export async function runHistoryIndexStage(runtime: Runtime, note: Readonly<Note>, earlier: Readonly<Record<string, unknown>>) {
  const prepared = await runtime.compute.runTask('index-note', {
    text: note.text,
    source: note.source,
    kind: note.kind,
    authoredAt: note.authoredAt,
    structureJson: structureJsonOf(earlier) ?? null,
  });
  const result = await storeNoteIndex(runtime.db, note, prepared);
  if (result.staleIndex) await enqueueHistoryReindex(runtime, null);
  return { passages: result.passages, facts: result.facts, modelId: result.modelId };
}
