/**
 * Ranking one patient's passages for a query from what the database returns about each: Okapi BM25 over the
 * patient's passages as the collection (document frequencies within the patient, so a word common in this
 * patient's notes counts for little), and exact cosine distance to the query vector.
 */
import type { PassageScores } from './types.ts';

export interface PassageRankings {
  /** Passages containing a query word, best BM25 first. */
  lexical: string[];
  /** Passages with a comparable vector, nearest first. */
  semantic: string[];
}

const byId = (a: string, b: string) => Number(a) - Number(b);

export function rankPassages(passages: readonly PassageScores[], depth: number, { k1 = 1.2, b = 0.75 } = {}): PassageRankings {
  const n = passages.length;
  const averageLength = Math.max(1, passages.reduce((a, p) => a + p.length, 0) / Math.max(1, n));
  const documentFrequency = new Map<string, number>();
  for (const p of passages) for (const lexeme of Object.keys(p.termFrequencies)) documentFrequency.set(lexeme, (documentFrequency.get(lexeme) ?? 0) + 1);
  const lexical = passages
    .filter((p) => Object.keys(p.termFrequencies).length > 0)
    .map((p) => {
      let score = 0;
      for (const [lexeme, count] of Object.entries(p.termFrequencies)) {
        const df = documentFrequency.get(lexeme)!;
        const tf = Math.max(1, count);
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * p.length) / averageLength));
      }
      return { id: p.id, score };
    })
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
