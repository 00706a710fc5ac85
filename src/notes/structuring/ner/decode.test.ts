import { describe, expect, it } from 'vitest';
import { marginals, tagsToSpans, viterbi, type CrfHead } from './decode.ts';

const labels = ['O', 'B-disease', 'I-disease'];
const head: CrfHead = {
  labels,
  // O → I is forbidden in effect; B → I and I → I are favoured.
  transitions: [
    [0, 0, -100],
    [0, -1, 2],
    [0, -1, 1],
  ],
  start: [0, 0, -100],
  end: [0, 0, 0],
};

/** Brute force over every tag path: the reference for Viterbi and the marginals. */
function allPaths(em: number[][]): Array<{ path: number[]; score: number }> {
  const k = labels.length;
  const out: Array<{ path: number[]; score: number }> = [];
  const walk = (path: number[]) => {
    if (path.length === em.length) {
      let score = head.start[path[0]!]! + em[0]![path[0]!]! + head.end[path.at(-1)!]!;
      for (let t = 1; t < path.length; t++) score += head.transitions[path[t - 1]!]![path[t]!]! + em[t]![path[t]!]!;
      out.push({ path, score });
      return;
    }
    for (let j = 0; j < k; j++) walk([...path, j]);
  };
  walk([]);
  return out;
}

const em = [
  [1, 0.5, 0],
  [0, 0.2, 0.9],
  [0.3, 0.1, 0.4],
  [2, 0, 0],
];
const flat = Float32Array.from(em.flat());

describe('viterbi', () => {
  it('finds the best-scoring path, the one brute force finds', () => {
    const best = allPaths(em).reduce((a, b) => (b.score > a.score ? b : a));
    expect(viterbi(flat, 4, head)).toEqual(best.path);
  });

  it('decodes nothing for no tokens and the best single tag for one', () => {
    expect(viterbi(new Float32Array(0), 0, head)).toEqual([]);
    expect(viterbi(Float32Array.from([0, 3, 0]), 1, head)).toEqual([1]);
  });
});

describe('marginals', () => {
  it('equals the brute-force posterior of each tag and sums to one per token', () => {
    const paths = allPaths(em);
    const z = paths.reduce((s, p) => s + Math.exp(p.score), 0);
    const m = marginals(flat, 4, head);
    for (let t = 0; t < 4; t++) {
      let sum = 0;
      for (let j = 0; j < 3; j++) {
        const expected = paths.filter((p) => p.path[t] === j).reduce((s, p) => s + Math.exp(p.score), 0) / z;
        expect(m[t * 3 + j]).toBeCloseTo(expected, 6);
        sum += m[t * 3 + j]!;
      }
      expect(sum).toBeCloseTo(1, 6);
    }
  });
});

describe('tagsToSpans', () => {
  const cdr = ['O', 'B-disease', 'I-disease', 'B-chemical', 'I-chemical'];
  it('reads BIO spans of each type', () => {
    expect(tagsToSpans([3, 0, 1, 2, 2, 0, 1, 1], cdr)).toEqual([
      { type: 'chemical', firstToken: 0, endToken: 1 },
      { type: 'disease', firstToken: 2, endToken: 5 },
      { type: 'disease', firstToken: 6, endToken: 7 },
      { type: 'disease', firstToken: 7, endToken: 8 },
    ]);
  });
  it('lets a stray I- tag open a span and a change of type close one', () => {
    expect(tagsToSpans([2, 2, 4, 0], cdr)).toEqual([
      { type: 'disease', firstToken: 0, endToken: 2 },
      { type: 'chemical', firstToken: 2, endToken: 3 },
    ]);
  });
});
