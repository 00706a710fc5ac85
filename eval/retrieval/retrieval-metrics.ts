/** Ranked-retrieval metrics with binary relevance, for search evaluations. */

/** nDCG@k: discounted gain of the relevant documents in the top k, divided by that of a perfect ranking. */
export function ndcgAtK<Id>(ranking: readonly Id[], relevant: ReadonlySet<Id>, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Fraction of the relevant documents found in the top k. */
export function recallAtK<Id>(ranking: readonly Id[], relevant: ReadonlySet<Id>, k: number): number {
  if (relevant.size === 0) return 0;
  return ranking.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** 1 / rank of the first relevant document, 0 when none is ranked. */
export function reciprocalRank<Id>(ranking: readonly Id[], relevant: ReadonlySet<Id>): number {
  const index = ranking.findIndex((id) => relevant.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, v) => a + v, 0) / values.length;
}
