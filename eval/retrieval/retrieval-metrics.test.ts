import { describe, expect, it } from 'vitest';
import { mean, ndcgAtK, recallAtK, reciprocalRank } from './retrieval-metrics.ts';

describe('retrieval metrics', () => {
  const relevant = new Set(['a', 'c']);

  it('nDCG@k is 1 for a perfect ranking and discounts late hits', () => {
    expect(ndcgAtK(['a', 'c', 'b'], relevant, 10)).toBe(1);
    const ideal = 1 + 1 / Math.log2(3);
    expect(ndcgAtK(['b', 'a', 'c'], relevant, 10)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / ideal, 12);
    expect(ndcgAtK(['b', 'a'], relevant, 1)).toBe(0);
  });

  it('recall@k, reciprocal rank and mean', () => {
    expect(recallAtK(['b', 'a'], relevant, 50)).toBe(0.5);
    expect(reciprocalRank(['b', 'x', 'c'], relevant)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(['b'], relevant)).toBe(0);
    expect(mean([1, 0, 0.5])).toBeCloseTo(0.5, 12);
    expect(mean([])).toBe(0);
  });
});
