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

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** P(tag of token t = label j | whole text) for every token and label, laid out like the emissions. */
export function marginals(emissions: Float32Array, tokens: number, head: CrfHead): Float64Array {
  const k = head.labels.length;
  const alpha = new Float64Array(tokens * k);
  const beta = new Float64Array(tokens * k);
  const tmp = new Float64Array(k);
  for (let j = 0; j < k; j++) alpha[j] = head.start[j]! + emissions[j]!;
  for (let t = 1; t < tokens; t++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < k; i++) tmp[i] = alpha[(t - 1) * k + i]! + head.transitions[i]![j]!;
      alpha[t * k + j] = logSumExp(tmp) + emissions[t * k + j]!;
    }
  }
  for (let j = 0; j < k; j++) beta[(tokens - 1) * k + j] = head.end[j]!;
  for (let t = tokens - 2; t >= 0; t--) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) tmp[j] = head.transitions[i]![j]! + emissions[(t + 1) * k + j]! + beta[(t + 1) * k + j]!;
      beta[t * k + i] = logSumExp(tmp);
    }
  }
  const last = new Float64Array(k);
  for (let j = 0; j < k; j++) last[j] = alpha[(tokens - 1) * k + j]! + head.end[j]!;
  const logZ = logSumExp(last);
  const out = new Float64Array(tokens * k);
  for (let n = 0; n < tokens * k; n++) out[n] = Math.exp(alpha[n]! + beta[n]! - logZ);
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
