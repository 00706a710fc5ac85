/**
 * L2-regularised logistic regression fitted by Newton's method (the feature count is small, so the exact
 * Hessian is cheap and the fit is deterministic). The penalty pulls weights towards `priorWeights`
 * (zero by default, intercept free): refitting with coder decisions starts from the trained model instead of
 * from scratch. A row's `offset` is a fixed margin added to the linear one (the boosted trees' output when only
 * the weights are refitted).
 */

export interface TrainingRow {
  features: ArrayLike<number>;
  label: 0 | 1;
  weight?: number;
  offset?: number;
}

export interface LogisticOptions {
  /** L2 strength per unit of total row weight, so it scales with the data. */
  l2?: number;
  /** L2 strength independent of the data size (used instead of `l2`): a prior worth a fixed amount of evidence. */
  absoluteL2?: number;
  priorWeights?: ReadonlyArray<number>;
  /** Index of the intercept, which is not penalised when fitting from scratch. */
  interceptIndex?: number;
  iterations?: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function linearMargin(weights: ReadonlyArray<number>, features: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < weights.length; i++) z += weights[i]! * (features[i] ?? 0);
  return z;
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

export function fitLogistic(rows: ReadonlyArray<TrainingRow>, dimensions: number, options: LogisticOptions = {}): number[] {
  const prior = options.priorWeights ?? new Array<number>(dimensions).fill(0);
  const totalWeight = rows.reduce((n, r) => n + (r.weight ?? 1), 0);
  const lambda = options.absoluteL2 ?? (options.l2 ?? 1e-3) * totalWeight;
  const intercept = options.interceptIndex ?? 0;
  const weights = [...prior];
  for (let iteration = 0; iteration < (options.iterations ?? 25); iteration++) {
    const gradient = new Array<number>(dimensions).fill(0);
    const hessian = Array.from({ length: dimensions }, () => new Array<number>(dimensions).fill(0));
    for (const row of rows) {
      const w = row.weight ?? 1;
      const p = sigmoid(linearMargin(weights, row.features) + (row.offset ?? 0));
      const residual = (p - row.label) * w;
      const curvature = Math.max(p * (1 - p), 1e-9) * w;
      for (let i = 0; i < dimensions; i++) {
        const xi = row.features[i] ?? 0;
        if (xi === 0) continue;
        gradient[i]! += residual * xi;
        for (let j = 0; j <= i; j++) {
          const xj = row.features[j] ?? 0;
          if (xj !== 0) hessian[i]![j]! += curvature * xi * xj;
        }
      }
    }
    for (let i = 0; i < dimensions; i++) {
      for (let j = 0; j < i; j++) hessian[j]![i] = hessian[i]![j]!;
      // Fitting from scratch leaves the intercept free; refitting towards prior weights holds it too, or notes
      // with only rejections would send it to minus infinity.
      if (i === intercept && !options.priorWeights) {
        hessian[i]![i]! += 1e-6 * totalWeight;
        continue;
      }
      gradient[i]! += lambda * (weights[i]! - prior[i]!);
      hessian[i]![i]! += lambda;
    }
    const step = solve(hessian, gradient);
    let largest = 0;
    for (let i = 0; i < dimensions; i++) {
      weights[i]! -= step[i]!;
      largest = Math.max(largest, Math.abs(step[i]!));
    }
    if (largest < 1e-7) break;
  }
  return weights;
}
