import { prepareNoteIndex, type PreparedNoteIndex } from '../../history/indexing-service.ts';
import { getEmbedder } from '../../ml/embedder.ts';
import { structureFromJson, type NoteTextSource } from '../../notes/structure.ts';

export interface IndexNoteInput {
  readonly text: string;
  readonly source: NoteTextSource;
  readonly kind: string;
  readonly authoredAt: Date;
  /** The structuring stage's output of this run, as JSON text (parsed here, on the pool thread). */
  readonly structureJson: string;
}

/** The index stage's CPU work (passages, concept mentions, embeddings, facts), ready for the database. */
export async function indexNoteTask(input: IndexNoteInput): Promise<PreparedNoteIndex> {
  return prepareNoteIndex(await getEmbedder(), input, structureFromJson(input.structureJson));
}
