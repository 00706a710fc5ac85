import { storeNoteIndex } from './indexing-service.ts';
import type { JsonText } from '../notes/pipeline.ts';
import type { StructuredNote } from '../notes/structuring/schema.ts';
import type { Runtime } from '../runtime.ts';
import { enqueueHistoryReindex } from './jobs.ts';
import type { Note } from '../notes/types.ts';

/** What the index stage stores on the note. */
export interface NoteIndexSummary {
  passages: number;
  facts: number;
  modelId: string;
}

/**
 * The `index` note stage: passages, embeddings and facts of the note computed on the compute pool, then stored
 * into the patient's history. When it finds the stored index built with another model, it asks for the
 * re-embedding job.
 */
export async function runHistoryIndexStage(runtime: Runtime, note: Readonly<Note>, earlier: Readonly<{ structure?: JsonText<StructuredNote> }>): Promise<NoteIndexSummary> {
  if (!earlier.structure) throw new Error('the index stage runs after the structure stage');
  const prepared = await runtime.compute.runTask('index-note', {
    text: note.text,
    source: note.source,
    kind: note.kind,
    authoredAt: note.authoredAt,
    structureJson: earlier.structure.json,
  });
  const result = await storeNoteIndex(runtime.db, note, prepared);
  if (result.staleIndex) await enqueueHistoryReindex(runtime, null);
  return { passages: result.passages, facts: result.facts, modelId: result.modelId };
}
