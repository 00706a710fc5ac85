import { structuredNoteSchema, type StructuredNote } from '../../notes/structuring/schema.ts';
import { structureNote } from '../../notes/structuring/structure.ts';
import { prepareNoteIndex, type PreparedNoteIndex } from '../../history/indexing-service.ts';
import { getEmbedder } from '../../ml/embedder.ts';
import type { NoteTextSource } from '../../notes/structure.ts';

export interface IndexNoteInput {
  readonly text: string;
  readonly source: NoteTextSource;
  readonly kind: string;
  readonly authoredAt: Date;
  /** The structuring stage's output as JSON text; when absent or not a structure, the note is structured here. */
  readonly structureJson: string | null;
}

function structureOf(input: IndexNoteInput): StructuredNote {
  const parsed = structuredNoteSchema.safeParse(input.structureJson === null ? undefined : JSON.parse(input.structureJson));
  return parsed.success ? parsed.data : structureNote(input.text, { source: input.source === 'dictation' ? 'dictation' : 'typed' });
}

/** The index stage's CPU work (passages, concept mentions, embeddings, facts), ready for the database. */
export async function indexNoteTask(input: IndexNoteInput): Promise<PreparedNoteIndex> {
  return prepareNoteIndex(await getEmbedder(), input, structureOf(input));
}
