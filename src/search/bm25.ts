/**
 * Okapi BM25 (Robertson & Zaragoza 2009), the one lexical scorer: history search applies it to the term counts the
 * database returns for a patient's passages, and the embedding evaluation to its in-memory collection. The
 * collection is the documents given, so document frequencies are counted over them.
 */

export interface Bm25Document {
  /** The document's length in terms (what its score is normalised by). */
  length: number;
  /** Occurrences of each query term in the document; terms it lacks are absent. */
  termFrequencies: Readonly<Record<string, number>>;
}

export interface Bm25Parameters {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full). Default 0.75. */
  b?: number;
}

/** Each document's score against the query whose terms were counted, in the documents' order (0 without a match). */
export function bm25Scores(documents: ReadonlyArray<Bm25Document>, { k1 = 1.2, b = 0.75 }: Bm25Parameters = {}): number[] {
  const n = documents.length;
  const averageLength = Math.max(1, documents.reduce((a, d) => a + d.length, 0) / Math.max(1, n));
  const documentFrequency = new Map<string, number>();
  for (const d of documents) for (const term of Object.keys(d.termFrequencies)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  return documents.map((d) => {
    let score = 0;
    for (const [term, count] of Object.entries(d.termFrequencies)) {
      const df = documentFrequency.get(term)!;
      const tf = Math.max(1, count);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * d.length) / averageLength));
    }
    return score;
  });
}
