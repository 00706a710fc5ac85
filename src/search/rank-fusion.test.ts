import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from './rank-fusion.ts';

describe('reciprocalRankFusion', () => {
  it('sums 1 / (k + rank) over the lists an item appears in', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd'],
    ]);
    expect(fused.map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1), 12);
    expect(fused[1]!.score).toBeCloseTo(1 / (RRF_K + 1), 12);
  });

  it('breaks ties by first appearance and applies the limit', () => {
    expect(reciprocalRankFusion([['x'], ['y']], { limit: 1 }).map((r) => r.id)).toEqual(['x']);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});
