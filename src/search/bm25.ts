/**
 * An in-memory Okapi BM25 index: the lexical half of hybrid search, and the baseline semantic search must beat.
 * Terms are lower-cased, accent-free alphanumeric words without English stop words, folded with the S-stemmer
 * (plural endings only, applied alike to queries and documents), so it never merges different clinical words.
 */

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

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface ScoredId<Id> {
  id: Id;
  score: number;
}

export interface Bm25Index<Id> {
  readonly size: number;
  /** Documents sharing at least one term with the query, best first (ties keep insertion order). */
  search(query: string, limit: number): ScoredId<Id>[];
}

export function buildBm25Index<Id>(
  documents: ReadonlyArray<{ id: Id; text: string }>,
  { k1 = 1.2, b = 0.75 }: Bm25Options = {},
): Bm25Index<Id> {
  const postings = new Map<string, Array<[doc: number, tf: number]>>();
  const lengths = documents.map((doc, index) => {
    const terms = bm25Terms(doc.text);
    const tf = new Map<string, number>();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    for (const [term, count] of tf) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([index, count]);
    }
    return terms.length;
  });
  const averageLength = lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length);

  return {
    size: documents.length,
    search(query, limit) {
      const scores = new Map<number, number>();
      for (const term of new Set(bm25Terms(query))) {
        const list = postings.get(term);
        if (!list) continue;
        const idf = Math.log(1 + (documents.length - list.length + 0.5) / (list.length + 0.5));
        for (const [doc, tf] of list) {
          const norm = tf + k1 * (1 - b + (b * lengths[doc]!) / averageLength);
          scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
        }
      }
      return [...scores]
        .sort((x, y) => y[1] - x[1] || x[0] - y[0])
        .slice(0, limit)
        .map(([doc, score]) => ({ id: documents[doc]!.id, score }));
    },
  };
}
