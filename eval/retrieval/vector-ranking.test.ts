import { describe, expect, it } from 'vitest';
import { rankByDotProduct } from './vector-ranking.ts';

describe('rankByDotProduct', () => {
  it('orders items by dot product with the query and keeps the top ones', () => {
    const items = [
      { id: 'x', vector: Float32Array.of(1, 0) },
      { id: 'y', vector: Float32Array.of(0.6, 0.8) },
      { id: 'z', vector: Float32Array.of(0, -1) },
    ];
    const ranked = rankByDotProduct(Float32Array.of(0, 1), items, 2);
    expect(ranked.map((r) => r.id)).toEqual(['y', 'x']);
    expect(ranked[0]!.score).toBeCloseTo(0.8, 6);
  });
});
