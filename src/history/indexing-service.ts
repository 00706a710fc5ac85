/**
 * Indexing a processed note into the patient's history: section-aware passages with their embeddings,
 * full-text vectors and concept mentions, plus the structured facts the note states. A note's passages and
 * facts are replaced in one transaction, so re-processing a note never leaves a search half old, half new.
 */
import type { StructuredNote } from '../notes/structuring/schema.ts';
import type { Database } from '../db/database.ts';
import type { Embedder } from '../ml/embedder.ts';
import { replaceNoteFacts } from './facts-repository.ts';
import { ensureCohortIndex, readIndexState, replaceNotePassages, writeIndexState, type EmbeddingModelRef, type NewPassage } from './passages-repository.ts';
import { conceptMentions, mentionsWithin } from './concepts.ts';
import { factsFromStructure } from './facts.ts';
import { FHIR_RECORD_NOTE_KIND } from './fhir/bundle.ts';
import { embeddingInput, splitIntoPassages } from './passages.ts';
import type { FactDraft } from './types.ts';

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

/** A note's index computed and ready to store: passages with their mentions and embeddings, and its facts. */
export interface PreparedNoteIndex {
  passages: NewPassage[];
  /** Null for a note rendered from coded records (its facts came with the import). */
  facts: FactDraft[] | null;
  model: EmbeddingModelRef;
}

/** The CPU side of indexing a note (splitting, concept mentions, embeddings, facts); no database. */
export async function prepareNoteIndex(embedder: Embedder, note: Pick<NoteToIndex, 'kind' | 'authoredAt' | 'text'>, structure: StructuredNote): Promise<PreparedNoteIndex> {
  const passages = splitIntoPassages(note.text, structure.sections);
  const mentions = conceptMentions(structure);
  const vectors = await embedder.embed(passages.map(embeddingInput));
  // Notes rendered from coded records carry their facts from the import; structuring would only repeat them.
  const facts = note.kind === FHIR_RECORD_NOTE_KIND ? null : factsFromStructure(structure, note.authoredAt);
  return {
    passages: passages.map((p, i) => ({ ...p, mentions: mentionsWithin(mentions, p.start, p.end), embedding: vectors[i]! })),
    facts,
    model: modelRef(embedder),
  };
}

/** Replaces the note's passages and facts with the prepared ones in one transaction. */
export async function storeNoteIndex(db: Database, note: NoteToIndex, prepared: PreparedNoteIndex): Promise<IndexedNote> {
  const staleIndex = await indexIsStale(db, prepared.model);
  await db.transaction(async (tx) => {
    await replaceNotePassages(tx, { patientId: note.patientId, noteId: note.id, noteDate: note.authoredAt, noteKind: note.kind }, prepared.passages, prepared.model);
    if (prepared.facts) await replaceNoteFacts(tx, { patientId: note.patientId, noteId: note.id, origin: 'note' }, prepared.facts);
  });
  return { passages: prepared.passages.length, facts: prepared.facts?.length ?? 0, modelId: prepared.model.modelId, staleIndex };
}

export async function indexNote(db: Database, embedder: Embedder, note: NoteToIndex, structure: StructuredNote): Promise<IndexedNote> {
  return storeNoteIndex(db, note, await prepareNoteIndex(embedder, note, structure));
}
