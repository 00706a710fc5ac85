/**
 * History search. Within one patient: BM25 over the patient's passages and exact cosine distance to the
 * query embedding, fused by reciprocal rank; every one of the patient's passages is scored, so nothing an
 * approximate index would miss is ever missed. Across patients (cohort search): the HNSW index proposes the
 * nearest passages (pgvector 0.8 iterative scans keep filtered searches full), re-ranked with their lexical
 * scores. Both return passages with their note, date and section, highlights of query words and of other
 * names for the query's concepts, and whether the passage denies the concept.
 */
import { sectionDefinition, type SectionType } from '../notes/structuring/section-catalog.ts';
import { structureNote } from '../notes/structuring/structure.ts';
import type { Database } from '../db/database.ts';
import type { Embedder } from '../ml/embedder.ts';
import {
  lexicalScores,
  listNewestPassageIds,
  loadPassageHits,
  nearestPassagesAcrossPatients,
  scorePatientPassages,
  supportsIterativeScan,
  type PassageFilter,
  type PassageHit,
} from './passages-repository.ts';
import { reciprocalRankFusion } from '../search/rank-fusion.ts';
import { conceptMentions, deniesConcept, mentionsOf } from './concepts.ts';
import { HEADLINE_START, HEADLINE_STOP, headlineSpans, mergeHighlights, type Highlight } from './highlight.ts';
import { indexIsStale, modelRef } from './indexing-service.ts';
import { rankPassages } from './ranking.ts';
import { reindexHistory } from './reindex-service.ts';

export type SearchMode = 'hybrid' | 'lexical' | 'semantic';

export interface HistoryQuery {
  /** The question or keywords. */
  text?: string | undefined;
  k: number;
  since?: Date | undefined;
  until?: Date | undefined;
  sections?: readonly SectionType[] | undefined;
  /** Note kinds (progress, discharge, fhir-record …). */
  kinds?: readonly string[] | undefined;
  /** Baselines for evaluation: BM25 only or vectors only. Default hybrid. */
  mode?: SearchMode | undefined;
}

export interface SearchHit {
  passageId: string;
  patientId: string;
  noteId: string;
  noteDate: Date;
  noteKind: string;
  section: SectionType;
  sectionTitle: string;
  /** Offsets of the passage in its note. */
  start: number;
  end: number;
  text: string;
  /** Fused score (higher is better); 0 when listing without a query. */
  score: number;
  lexicalRank: number | null;
  semanticRank: number | null;
  highlights: Highlight[];
  /** The passage mentions the query's concept only to deny it ("no history of DVT"). */
  negated: boolean;
}

/** Candidates each retriever contributes to the fusion. */
const fusionDepth = (k: number) => Math.max(50, 5 * k);

/** The query's concepts as note structuring reads them ("DVT" → the ICD-10-CM codes of deep vein thrombosis). */
export function queryConceptKeys(text: string): Set<string> {
  return new Set(conceptMentions(structureNote(text)).flatMap((m) => m.keys));
}

const filterOf = (q: HistoryQuery): PassageFilter => ({ since: q.since, until: q.until, sections: q.sections, kinds: q.kinds });

function toHit(row: PassageHit, ranks: { score: number; lexicalRank: number | null; semanticRank: number | null }, conceptKeys: ReadonlySet<string>): SearchHit {
  const concepts = mentionsOf(conceptKeys, row.mentions);
  const section = row.section as SectionType;
  return {
    passageId: row.id,
    patientId: row.patientId,
    noteId: row.noteId,
    noteDate: row.noteDate,
    noteKind: row.noteKind,
    section,
    sectionTitle: sectionDefinition(section).title,
    start: row.start,
    end: row.end,
    text: row.text,
    ...ranks,
    highlights: mergeHighlights(row.text, row.marked ? headlineSpans(row.text, row.marked) : [], concepts),
    negated: deniesConcept(concepts),
  };
}

async function hitsInOrder(
  db: Database,
  ranked: ReadonlyArray<{ id: string; score: number; lexicalRank: number | null; semanticRank: number | null }>,
  text: string | null,
): Promise<SearchHit[]> {
  const conceptKeys = text ? queryConceptKeys(text) : new Set<string>();
  const rows = new Map((await loadPassageHits(db, ranked.map((r) => r.id), text, [HEADLINE_START, HEADLINE_STOP])).map((r) => [r.id, r]));
  return ranked.filter((r) => rows.has(r.id)).map((r) => toHit(rows.get(r.id)!, r, conceptKeys));
}

/** Fuses two rankings by reciprocal rank and keeps each passage's rank in both. */
function fuse(lexical: readonly string[], semantic: readonly string[], mode: SearchMode, k: number) {
  const lists = mode === 'lexical' ? [lexical] : mode === 'semantic' ? [semantic] : [lexical, semantic];
  const lexicalRank = new Map(lexical.map((id, i) => [id, i + 1]));
  const semanticRank = new Map(semantic.map((id, i) => [id, i + 1]));
  return reciprocalRankFusion(lists, { limit: k }).map(({ id, score }) => ({
    id,
    score,
    lexicalRank: lexicalRank.get(id) ?? null,
    semanticRank: semanticRank.get(id) ?? null,
  }));
}

/** A patient's newest passages matching the filters (browsing without a query). */
export async function listPatientPassages(db: Database, patientId: string, query: Omit<HistoryQuery, 'text' | 'mode'>): Promise<SearchHit[]> {
  const ids = await listNewestPassageIds(db, patientId, filterOf(query), query.k);
  return hitsInOrder(db, ids.map((id) => ({ id, score: 0, lexicalRank: null, semanticRank: null })), null);
}

export interface PatientSearchOptions {
  /**
   * Called once when the stored vectors were made by another model, before this patient's passages are
   * re-embedded inline: the caller asks for the background re-embedding of everyone else's (the one staleness
   * check of the search serves both).
   */
  onStaleIndex?: () => Promise<unknown>;
}

/**
 * Search one patient's history. When the stored vectors were made by another model, this patient's
 * passages are re-embedded first (a few hundred at most), so the answer is always complete.
 */
export async function searchPatientHistory(
  db: Database,
  embedder: Embedder,
  patientId: string,
  query: HistoryQuery & { text: string },
  options: PatientSearchOptions = {},
): Promise<SearchHit[]> {
  const text = query.text;
  const mode = query.mode ?? 'hybrid';
  const model = modelRef(embedder);
  if (await indexIsStale(db, model)) {
    await options.onStaleIndex?.();
    await reindexHistory(db, embedder, { patientId, mode: 'stale' });
  }
  const vector = mode === 'lexical' ? null : (await embedder.embed([text]))[0]!;
  const scores = await scorePatientPassages(db, patientId, { text, vector, modelId: model.modelId }, filterOf(query));
  const { lexical, semantic } = rankPassages(scores, fusionDepth(query.k));
  return hitsInOrder(db, fuse(lexical, semantic, mode, query.k), text);
}

export interface CohortSearch {
  hits: SearchHit[];
  /** pgvector iterative index scans were used (0.8+); without them a filtered search may return fewer hits. */
  iterativeScan: boolean;
  /** Stored vectors of another model were left out; a re-embedding is due. */
  staleIndex: boolean;
}

/** Search across every patient through the HNSW index (approximate by design, unlike per-patient search). */
export async function searchCohort(db: Database, embedder: Embedder, query: HistoryQuery & { text: string }): Promise<CohortSearch> {
  const model = modelRef(embedder);
  const staleIndex = await indexIsStale(db, model);
  const iterativeScan = await supportsIterativeScan(db);
  const [vector] = await embedder.embed([query.text]);
  const nearest = await db.transaction((tx) =>
    nearestPassagesAcrossPatients(tx, vector!, model, filterOf(query), fusionDepth(query.k), { iterative: iterativeScan }),
  );
  const semantic = nearest.map((c) => c.id);
  const scores = await lexicalScores(db, semantic, query.text);
  const lexical = [...scores].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0])).map(([id]) => id);
  return { hits: await hitsInOrder(db, fuse(lexical, semantic, query.mode ?? 'hybrid', query.k), query.text), iterativeScan, staleIndex };
}
