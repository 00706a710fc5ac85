import { describe, expect, it } from 'vitest';
import { fitBoostedTrees, treesMargin } from './boosted-trees.ts';
import type { TrainingRow } from './logistic.ts';

// Positive only when both features are high: an interaction no linear margin separates.
const rows: TrainingRow[] = [];
for (let a = 0; a < 10; a++) {
  for (let b = 0; b < 10; b++) rows.push({ features: [1, a / 10, b / 10], label: a >= 5 && b >= 5 ? 1 : 0 });
}
const options = { trees: 30, depth: 2, rate: 0.3, lambda: 1, minHessian: 1, bins: 16 };

describe('boosted trees', () => {
  it('learn an interaction on top of a fixed margin', () => {
    const trees = fitBoostedTrees(rows, rows.map(() => 0), options);
    const margin = (a: number, b: number) => treesMargin(trees, [1, a, b]);
    expect(margin(0.8, 0.8)).toBeGreaterThan(1);
    expect(margin(0.8, 0.1)).toBeLessThan(-1);
    expect(margin(0.1, 0.8)).toBeLessThan(-1);
  });

  it('are deterministic', () => {
    const offsets = rows.map((r) => Number(r.features[1]));
    expect(JSON.stringify(fitBoostedTrees(rows, offsets, options))).toBe(JSON.stringify(fitBoostedTrees(rows, offsets, options)));
  });
});
