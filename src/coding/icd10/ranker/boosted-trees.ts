/**
 * Small regression trees boosted on logistic loss, added to a fixed margin (the logistic model's): the trees
 * learn the interactions and thresholds a linear score cannot express (a lexicon precision that means more
 * for a code seen often in training, a term match that helps only when no lexicon phrase does). Features are
 * cut at quantile bins, leaves take a damped Newton step; there is no sampling, so the fit is deterministic.
 */
import type { TrainingRow } from './logistic.ts';

/** One tree as parallel node arrays; a node with feature -1 is a leaf and `value` is its margin. */
export interface RegressionTree {
  feature: number[];
  /** Rows with the feature below the threshold go left. */
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface BoostingOptions {
  trees: number;
  depth: number;
  /** Shrinkage: the share of each Newton step a tree keeps. */
  rate: number;
  /** L2 on leaf values, in units of hessian (about `lambda / 0.25` rows near p = 0.5). */
  lambda: number;
  /** A split needs at least this hessian on both sides, so no leaf rests on a handful of candidates. */
  minHessian: number;
  /** Quantile cut points per feature. */
  bins: number;
}

export const defaultBoostingOptions: BoostingOptions = { trees: 100, depth: 4, rate: 0.1, lambda: 1, minHessian: 5, bins: 32 };

export function treesMargin(trees: ReadonlyArray<RegressionTree>, features: ArrayLike<number>): number {
  let margin = 0;
  for (const tree of trees) {
    let node = 0;
    while (tree.feature[node]! >= 0) node = (features[tree.feature[node]!] ?? 0) < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    margin += tree.value[node]!;
  }
  return margin;
}

/** Distinct quantile cut points of one feature (a value at or above cut b falls in bin b + 1). */
function cutPoints(rows: ReadonlyArray<TrainingRow>, feature: number, bins: number): number[] {
  const values = rows.map((r) => r.features[feature] ?? 0).sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let b = 1; b < bins; b++) {
    const value = values[Math.floor((b * values.length) / bins)]!;
    if (value > values[0]! && (cuts.length === 0 || value > cuts[cuts.length - 1]!)) cuts.push(value);
  }
  return cuts;
}

const round = (x: number) => Number(x.toFixed(6));

/** Fits trees that add to `offsets` (each row's fixed margin). */
export function fitBoostedTrees(rows: ReadonlyArray<TrainingRow>, offsets: ReadonlyArray<number>, options: BoostingOptions = defaultBoostingOptions): RegressionTree[] {
  const n = rows.length;
  const dimensions = rows[0]?.features.length ?? 0;
  const cuts = Array.from({ length: dimensions }, (_, j) => cutPoints(rows, j, options.bins));
  // Column-major bin indices: a node's histogram for one feature is one pass over its rows.
  const binned = Array.from({ length: dimensions }, (_, j) => {
    const column = new Uint8Array(n);
    const c = cuts[j]!;
    rows.forEach((r, i) => {
      const x = r.features[j] ?? 0;
      let b = 0;
      while (b < c.length && x >= c[b]!) b++;
      column[i] = b;
    });
    return column;
  });
  const margin = Float64Array.from(offsets);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  const trees: RegressionTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    for (let i = 0; i < n; i++) {
      const w = rows[i]!.weight ?? 1;
      const p = 1 / (1 + Math.exp(-margin[i]!));
      gradient[i] = (p - rows[i]!.label) * w;
      hessian[i] = Math.max(p * (1 - p), 1e-9) * w;
    }
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const leafOf = new Int32Array(n);
    const grow = (members: Int32Array, depth: number): number => {
      const node = tree.feature.length;
      let g = 0;
      let h = 0;
      for (const i of members) {
        g += gradient[i]!;
        h += hessian[i]!;
      }
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(round((-options.rate * g) / (h + options.lambda)));
      const split = depth < options.depth ? bestSplit(members, g, h) : undefined;
      if (!split) {
        for (const i of members) leafOf[i] = node;
        return node;
      }
      const column = binned[split.feature]!;
      tree.feature[node] = split.feature;
      tree.threshold[node] = cuts[split.feature]![split.bin]!;
      tree.left[node] = grow(members.filter((i) => column[i]! <= split.bin), depth + 1);
      tree.right[node] = grow(members.filter((i) => column[i]! > split.bin), depth + 1);
      return node;
    };
    const bestSplit = (members: Int32Array, g: number, h: number) => {
      const parent = (g * g) / (h + options.lambda);
      let best: { gain: number; feature: number; bin: number } | undefined;
      for (let j = 0; j < dimensions; j++) {
        const bins = cuts[j]!.length + 1;
        if (bins < 2) continue;
        const gs = new Float64Array(bins);
        const hs = new Float64Array(bins);
        const column = binned[j]!;
        for (const i of members) {
          gs[column[i]!]! += gradient[i]!;
          hs[column[i]!]! += hessian[i]!;
        }
        let gl = 0;
        let hl = 0;
        for (let b = 0; b < bins - 1; b++) {
          gl += gs[b]!;
          hl += hs[b]!;
          const hr = h - hl;
          if (hl < options.minHessian || hr < options.minHessian) continue;
          const gain = (gl * gl) / (hl + options.lambda) + ((g - gl) * (g - gl)) / (hr + options.lambda) - parent;
          if (gain > (best?.gain ?? 1e-9)) best = { gain, feature: j, bin: b };
        }
      }
      return best;
    };
    grow(Int32Array.from({ length: n }, (_, i) => i), 0);
    for (let i = 0; i < n; i++) margin[i]! += tree.value[leafOf[i]!]!;
    trees.push(tree);
  }
  return trees;
}
