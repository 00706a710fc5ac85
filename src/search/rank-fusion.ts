/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009): combines ranked lists from retrievers whose
 * scores are not comparable (BM25 vs cosine) using ranks only. A document scores the sum of 1 / (k + rank)
 * over the lists it appears in; k = 60 is the value from the paper and damps the influence of top ranks.
 */
export const RRF_K = 60;

export function reciprocalRankFusion<Id>(
  rankings: ReadonlyArray<ReadonlyArray<Id>>,
  { k = RRF_K, limit = Infinity }: { k?: number; limit?: number } = {},
): Array<{ id: Id; score: number }> {
  const scores = new Map<Id, number>();
  const firstSeen = new Map<Id, number>();
  let order = 0;
  for (const ranking of rankings) {
    ranking.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1));
      if (!firstSeen.has(id)) firstSeen.set(id, order++);
    });
  }
  return [...scores]
    .sort((a, b) => b[1] - a[1] || firstSeen.get(a[0])! - firstSeen.get(b[0])!)
    .slice(0, limit)
    .map(([id, score]) => ({ id, score }));
}
