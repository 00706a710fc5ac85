/** Binary-classification metrics for the triage evaluation. `positives[i]` is the ground truth of `scores[i]`. */

export interface RocPoint {
  /** Images with score ≥ threshold are called positive. */
  threshold: number;
  fpr: number;
  tpr: number;
}

function countClasses(positives: readonly boolean[]): { p: number; n: number } {
  const p = positives.filter(Boolean).length;
  const n = positives.length - p;
  if (p === 0 || n === 0) throw new Error(`Need both classes to measure ranking (have ${p} positive, ${n} negative)`);
  return { p, n };
}

/** Area under the ROC curve as the Mann–Whitney statistic: P(score⁺ > score⁻), ties counting one half. */
export function auroc(scores: readonly number[], positives: readonly boolean[]): number {
  const { p, n } = countClasses(positives);
  const order = scores.map((s, i) => ({ s, pos: positives[i]! })).sort((a, b) => a.s - b.s);
  let rankSumPositives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.s === order[i]!.s) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (order[k]!.pos) rankSumPositives += midRank;
    i = j + 1;
  }
  return (rankSumPositives - (p * (p + 1)) / 2) / (p * n);
}

/** ROC points from (0, 0) to (1, 1), one per distinct score used as threshold, in decreasing threshold order. */
export function rocCurve(scores: readonly number[], positives: readonly boolean[]): RocPoint[] {
  const { p, n } = countClasses(positives);
  const order = scores.map((s, i) => ({ s, pos: positives[i]! })).sort((a, b) => b.s - a.s);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; ) {
    const threshold = order[i]!.s;
    while (i < order.length && order[i]!.s === threshold) {
      if (order[i]!.pos) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold, fpr: fp / n, tpr: tp / p });
  }
  return points;
}

export interface OperatingPoint {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  sensitivity: number;
  specificity: number;
}

/** Confusion counts, sensitivity and specificity when scores ≥ threshold are called positive. */
export function operatingPoint(scores: readonly number[], positives: readonly boolean[], threshold: number): OperatingPoint {
  const { p, n } = countClasses(positives);
  let tp = 0;
  let fp = 0;
  scores.forEach((s, i) => {
    if (s >= threshold) positives[i] ? tp++ : fp++;
  });
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: n - fp,
    falseNegatives: p - tp,
    sensitivity: tp / p,
    specificity: (n - fp) / n,
  };
}
