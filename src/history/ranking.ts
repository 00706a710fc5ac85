/**
 * Ranking one patient's passages for a query from what the database returns about each: Okapi BM25
 * (src/search/bm25.ts) over the patient's passages as the collection (document frequencies within the patient, so a
 * word common in this patient's notes counts for little), and exact cosine distance to the query vector.
 */
import { bm25Scores, type Bm25Parameters } from '../search/bm25.ts';
import type { PassageScores } from './types.ts';

export interface PassageRankings {
  /** Passages containing a query word, best BM25 first. */
  lexical: string[];
  /** Passages with a comparable vector, nearest first. */
  semantic: string[];
}

const byId = (a: string, b: string) => Number(a) - Number(b);

export function rankPassages(passages: readonly PassageScores[], depth: number, parameters: Bm25Parameters = {}): PassageRankings {
  const scores = bm25Scores(passages, parameters);
  const lexical = passages
    .map((p, index) => ({ id: p.id, score: scores[index]!, matched: Object.keys(p.termFrequencies).length > 0 }))
    .filter((p) => p.matched)
    .sort((x, y) => y.score - x.score || byId(x.id, y.id))
    .slice(0, depth)
    .map((p) => p.id);
  const semantic = passages
    .filter((p): p is PassageScores & { distance: number } => p.distance !== null && !Number.isNaN(p.distance))
    .sort((x, y) => x.distance - y.distance || byId(x.id, y.id))
    .slice(0, depth)
    .map((p) => p.id);
  return { lexical, semantic };
}
