/**
 * An in-memory BM25 index over a document collection: the lexical baseline of the embedding evaluation. Scoring
 * is the service's own Okapi BM25 (`rankPassages` in src/history/ranking.ts, which patient history search uses
 * over database term counts), so the baseline and the product share one formula; this module only counts terms.
 * Terms are lower-cased, accent-free alphanumeric words without English stop words, folded with the S-stemmer
 * (plural endings only, applied alike to queries and documents), so it never merges different clinical words.
 */
import { rankPassages } from '../../src/history/ranking.ts';

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i if in into is it its of on or ' +
    'she that the their them then there these they this to was were which who will with without'
  ).split(' '),
);

/** S-stemmer (Harman 1991): strips plural endings only, so it never merges unrelated clinical words. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies') && !/[ae]ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (word.length > 4 && word.endsWith('es') && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.length > 3 && word.endsWith('s') && !/[us]s$/.test(word)) return word.slice(0, -1);
  return word;
}

export function bm25Terms(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9]+/g) ?? [];
  return words.filter((w) => !STOP_WORDS.has(w)).map(stem);
}

export interface Bm25Index<Id> {
  readonly size: number;
  /** Documents sharing at least one term with the query, best first (ties keep insertion order). */
  search(query: string, limit: number): Array<{ id: Id }>;
}

export function buildBm25Index<Id>(
  documents: ReadonlyArray<{ id: Id; text: string }>,
  options: { k1?: number; b?: number } = {},
): Bm25Index<Id> {
  const counted = documents.map((doc) => {
    const terms = bm25Terms(doc.text);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { counts, length: terms.length };
  });
  return {
    size: documents.length,
    search(query, limit) {
      const queryTerms = [...new Set(bm25Terms(query))];
      // Passage ids are insertion indexes: rankPassages breaks score ties by numeric id, i.e. insertion order.
      const passages = counted.map(({ counts, length }, index) => {
        const termFrequencies: Record<string, number> = {};
        for (const term of queryTerms) {
          const count = counts.get(term);
          if (count) termFrequencies[term] = count;
        }
        return { id: String(index), length, distance: null, termFrequencies };
      });
      return rankPassages(passages, limit, options).lexical.map((index) => ({ id: documents[Number(index)]!.id }));
    },
  };
}
