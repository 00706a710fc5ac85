/**
 * Linear-chain CRF decoding over the emission scores the ONNX network produces: the best tag path (Viterbi), each
 * token's tag probabilities (forward-backward), and BIO tags read back as typed character spans.
 */

export interface CrfHead {
  /** BIO labels: "O", "B-disease", "I-disease", "B-chemical", "I-chemical". */
  labels: string[];
  /** transitions[from][to]. */
  transitions: number[][];
  start: number[];
  end: number[];
}

/** Best tag sequence for emissions laid out [token][label] (row-major, `tokens × labels.length`). */
export function viterbi(emissions: Float32Array, tokens: number, head: CrfHead): number[] {
  const k = head.labels.length;
  if (tokens === 0) return [];
  let score = new Float64Array(k);
  for (let j = 0; j < k; j++) score[j] = head.start[j]! + emissions[j]!;
  const back = new Int32Array(tokens * k);
  for (let t = 1; t < tokens; t++) {
    const next = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < k; i++) {
        const s = score[i]! + head.transitions[i]![j]!;
        if (s > best) {
          best = s;
          arg = i;
        }
      }
      next[j] = best + emissions[t * k + j]!;
      back[t * k + j] = arg;
    }
    score = next;
  }
  let last = 0;
  for (let j = 1; j < k; j++) if (score[j]! + head.end[j]! > score[last]! + head.end[last]!) last = j;
  const path = new Array<number>(tokens);
  path[tokens - 1] = last;
  for (let t = tokens - 1; t > 0; t--) path[t - 1] = back[t * k + path[t]!]!;
  return path;
}

/**
 * P(tag of token t = label j | whole text) for every token and label, laid out like the emissions. Forward-backward
 * in probability space, each step rescaled to sum to one (the scales cancel in the posterior), so it needs one
 * exp per score instead of a log-sum-exp per transition.
 */
export function marginals(emissions: Float32Array, tokens: number, head: CrfHead): Float64Array {
  const k = head.labels.length;
  const out = new Float64Array(tokens * k);
  if (tokens === 0) return out;
  const trans = new Float64Array(k * k);
  let maxTrans = -Infinity;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) maxTrans = Math.max(maxTrans, head.transitions[i]![j]!);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) trans[i * k + j] = Math.exp(head.transitions[i]![j]! - maxTrans);
  // Emission potentials, shifted per token by its largest score (a per-token constant cancels too).
  const potential = new Float64Array(tokens * k);
  for (let t = 0; t < tokens; t++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, emissions[t * k + j]!);
    for (let j = 0; j < k; j++) potential[t * k + j] = Math.exp(emissions[t * k + j]! - max);
  }
  const alpha = new Float64Array(tokens * k);
  const beta = new Float64Array(tokens * k);
  const normalise = (a: Float64Array, row: number) => {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += a[row + j]!;
    for (let j = 0; j < k; j++) a[row + j]! /= sum;
  };
  const maxStart = Math.max(...head.start);
  for (let j = 0; j < k; j++) alpha[j] = Math.exp(head.start[j]! - maxStart) * potential[j]!;
  normalise(alpha, 0);
  for (let t = 1; t < tokens; t++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += alpha[(t - 1) * k + i]! * trans[i * k + j]!;
      alpha[t * k + j] = sum * potential[t * k + j]!;
    }
    normalise(alpha, t * k);
  }
  const maxEnd = Math.max(...head.end);
  for (let j = 0; j < k; j++) beta[(tokens - 1) * k + j] = Math.exp(head.end[j]! - maxEnd);
  normalise(beta, (tokens - 1) * k);
  for (let t = tokens - 2; t >= 0; t--) {
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += trans[i * k + j]! * potential[(t + 1) * k + j]! * beta[(t + 1) * k + j]!;
      beta[t * k + i] = sum;
    }
    normalise(beta, t * k);
  }
  for (let t = 0; t < tokens; t++) {
    for (let j = 0; j < k; j++) out[t * k + j] = alpha[t * k + j]! * beta[t * k + j]!;
    normalise(out, t * k);
  }
  return out;
}

export interface TaggedSpan {
  type: string;
  firstToken: number;
  /** One past the last token. */
  endToken: number;
}

/** BIO tags → spans. An I- tag that does not continue a span of its type opens one (the CRF rarely emits it). */
export function tagsToSpans(path: ReadonlyArray<number>, labels: ReadonlyArray<string>): TaggedSpan[] {
  const spans: TaggedSpan[] = [];
  let open: TaggedSpan | null = null;
  path.forEach((tag, i) => {
    const label = labels[tag]!;
    const type = label.slice(2);
    if (open && (label === 'O' || label.startsWith('B-') || type !== open.type)) {
      spans.push(open);
      open = null;
    }
    if (label !== 'O' && !open) open = { type, firstToken: i, endToken: i + 1 };
    else if (open) open.endToken = i + 1;
  });
  if (open) spans.push(open);
  return spans;
}
