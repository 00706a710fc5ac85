import { structuredNoteSchema, type StructuredNote } from '../src/clinical/schema.ts';
import { structureNote } from '../src/clinical/structure.ts';
import { indexNote } from '../src/history/indexing.ts';
import { poolEmbedder } from '../src/compute/embedder.ts';
import type { Note } from '../src/repositories/notes.ts';
import type { Runtime } from '../src/runtime.ts';
import { enqueueHistoryReindex } from './reindex.ts';

/** The structuring stage's output when it ran before this stage, else the note structured here. */
function structureOf(note: Readonly<Note>, earlier: unknown): StructuredNote {
  const parsed = structuredNoteSchema.safeParse(earlier);
  return parsed.success ? parsed.data : structureNote(note.text, { source: note.source === 'dictation' ? 'dictation' : 'typed' });
}

/**
 * The `index` note stage: passages, embeddings (computed on the compute pool) and facts of the note into the
 * patient's history. When it finds the stored index built with another model, it asks for the re-embedding job.
 */
export async function runHistoryIndexStage(runtime: Runtime, note: Readonly<Note>, earlier: Readonly<Record<string, unknown>>) {
  const result = await indexNote(runtime.db, await poolEmbedder(runtime.compute), note, structureOf(note, earlier.structure));
  if (result.staleIndex) await enqueueHistoryReindex(runtime, null);
  return { passages: result.passages, facts: result.facts, modelId: result.modelId };
}
