/**
 * An in-memory BM25 index over a document collection: the lexical baseline of the embedding evaluation. Scoring
 * is the service's own Okapi BM25 (src/search/bm25.ts, which patient history search applies to database term
 * counts), so the baseline and the product share one formula; this module only counts terms. Terms are the shared
 * tokenizer's alphanumeric words, folded, without English stop words, stemmed at plural strength (applied alike to
 * queries and documents), so it never merges different clinical words.
 */
import { bm25Scores, type Bm25Parameters } from '../../src/search/bm25.ts';
import { fold } from '../../src/text/fold.ts';
import { stem } from '../../src/text/stem.ts';
import { tokenize } from '../../src/text/tokens.ts';

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i if in into is it its of on or ' +
    'she that the their them then there these they this to was were which who will with without'
  ).split(' '),
);

export function bm25Terms(text: string): string[] {
  const words = tokenize(text, 'alphanumeric').map((t) => fold(t.text));
  return words.filter((w) => !STOP_WORDS.has(w)).map((w) => stem(w, 'plural'));
}

export interface Bm25Index<Id> {
  readonly size: number;
  /** Documents sharing at least one term with the query, best first (ties keep insertion order). */
  search(query: string, limit: number): Array<{ id: Id }>;
}

export function buildBm25Index<Id>(documents: ReadonlyArray<{ id: Id; text: string }>, parameters: Bm25Parameters = {}): Bm25Index<Id> {
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
      const matches = counted.map(({ counts, length }) => {
        const termFrequencies: Record<string, number> = {};
        for (const term of queryTerms) {
          const count = counts.get(term);
          if (count) termFrequencies[term] = count;
        }
        return { length, termFrequencies };
      });
      const scores = bm25Scores(matches, parameters);
      return matches
        .map((match, index) => ({ index, score: scores[index]!, matched: Object.keys(match.termFrequencies).length > 0 }))
        .filter((m) => m.matched)
        .sort((x, y) => y.score - x.score || x.index - y.index)
        .slice(0, limit)
        .map((m) => ({ id: documents[m.index]!.id }));
    },
  };
}
