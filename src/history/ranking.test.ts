import { describe, expect, it } from 'vitest';
import { rankPassages } from './ranking.ts';
import type { PassageScores } from './types.ts';

const passage = (id: string, length: number, distance: number | null, termFrequencies: Record<string, number> = {}): PassageScores => ({
  id,
  length,
  distance,
  termFrequencies,
});

describe('rankPassages', () => {
  it('weights rare query words over common ones within the patient (BM25 idf) and ignores passages without a query word', () => {
    const passages = [
      passage('1', 20, 0.5, { histori: 1 }),
      passage('2', 20, 0.4, { histori: 1, dvt: 1 }),
      passage('3', 20, 0.3, { histori: 2 }),
      passage('4', 20, 0.2, {}),
      passage('5', 20, 0.9, { dvt: 1 }),
    ];
    expect(rankPassages(passages, 10).lexical).toEqual(['2', '5', '3', '1']);
  });

  it('prefers the shorter of two passages with the same matches (length normalisation)', () => {
    expect(rankPassages([passage('1', 80, null, { hba1c: 1 }), passage('2', 10, null, { hba1c: 1 })], 10).lexical).toEqual(['2', '1']);
  });

  it('orders by distance, leaves out passages without a comparable vector, breaks ties by id and cuts at depth', () => {
    const passages = [passage('10', 5, 0.3), passage('9', 5, 0.3), passage('2', 5, null), passage('3', 5, 0.1), passage('4', 5, Number.NaN)];
    expect(rankPassages(passages, 10).semantic).toEqual(['3', '9', '10']);
    expect(rankPassages(passages, 2).semantic).toEqual(['3', '9']);
  });
});
