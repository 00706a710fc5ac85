/**
 * Indexing a processed note into the patient's history: section-aware passages with their embeddings,
 * full-text vectors and concept mentions, plus the structured facts the note states. A note's passages and
 * facts are replaced in one transaction, so re-processing a note never leaves a search half old, half new.
 */
import type { StructuredNote } from '../clinical/schema.ts';
import type { Database } from '../db/database.ts';
import type { Embedder } from '../ml/embedder.ts';
import { replaceNoteFacts } from '../repositories/history-facts.ts';
import { ensureCohortIndex, readIndexState, replaceNotePassages, writeIndexState, type EmbeddingModelRef } from '../repositories/history-passages.ts';
import { conceptMentions, mentionsWithin } from './concepts.ts';
import { factsFromStructure } from './facts.ts';
import { FHIR_RECORD_NOTE_KIND } from './fhir/bundle.ts';
import { embeddingInput, splitIntoPassages } from './passages.ts';

export interface NoteToIndex {
  id: string;
  patientId: string;
  kind: string;
  authoredAt: Date;
  text: string;
}

export interface IndexedNote {
  passages: number;
  facts: number;
  modelId: string;
  /** The stored index was built with another model: a re-embedding of the older passages is due. */
  staleIndex: boolean;
}

export const modelRef = (embedder: Pick<Embedder, 'modelId' | 'dimension'>): EmbeddingModelRef => ({
  modelId: embedder.modelId,
  dimension: embedder.dimension,
});

/**
 * Compares the configured model with the one the stored index was built with. The first model ever used
 * is recorded (and gets its cross-patient HNSW index); returns true when the stored vectors are another
 * model's and must be re-embedded.
 */
export async function indexIsStale(db: Database, model: EmbeddingModelRef): Promise<boolean> {
  const state = await readIndexState(db);
  if (!state) {
    await ensureCohortIndex(db, model.dimension);
    await writeIndexState(db, model);
    return false;
  }
  return state.modelId !== model.modelId || state.dimension !== model.dimension;
}

export async function indexNote(db: Database, embedder: Embedder, note: NoteToIndex, structure: StructuredNote): Promise<IndexedNote> {
  const passages = splitIntoPassages(note.text, structure.sections);
  const mentions = conceptMentions(structure);
  const vectors = await embedder.embed(passages.map(embeddingInput));
  const model = modelRef(embedder);
  const staleIndex = await indexIsStale(db, model);
  // Notes rendered from coded records carry their facts from the import; structuring would only repeat them.
  const facts = note.kind === FHIR_RECORD_NOTE_KIND ? null : factsFromStructure(structure, note.authoredAt);
  await db.transaction(async (tx) => {
    await replaceNotePassages(
      tx,
      { patientId: note.patientId, noteId: note.id, noteDate: note.authoredAt, noteKind: note.kind },
      passages.map((p, i) => ({ ...p, mentions: mentionsWithin(mentions, p.start, p.end), embedding: vectors[i]! })),
      model,
    );
    if (facts) await replaceNoteFacts(tx, { patientId: note.patientId, noteId: note.id, origin: 'note' }, facts);
  });
  return { passages: passages.length, facts: facts?.length ?? 0, modelId: model.modelId, staleIndex };
}
