import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../src/coding/icd10/suggest.ts';
import type { CodiEspDocument } from '../src/coding/icd10/training/codiesp.ts';
import { averagePrecision, expectedCalibrationError, recallAt, scoreDocuments } from './codiesp.ts';

function suggestion(code: string, proposed: boolean): Suggestion {
  return { code, title: code, billable: true, score: proposed ? 0.9 : 0.1, confidence: proposed ? 'medium' : 'low', confidenceBasis: 'test', rank: 0, proposed, role: 'secondary', rule: 'test', evidence: [], flags: [], codeSetVersion: 'FY2021', rankerVersion: 'test' };
}

function document(id: string, codes: string[]): CodiEspDocument {
  return { id, english: '', codes, evidence: [] };
}

describe('CodiEsp metrics', () => {
  it('average precision follows the CodiEsp definition (divided by the number of gold codes)', () => {
    expect(averagePrecision(['A00.0', 'B00.0', 'C00.0'], new Set(['A00.0', 'C00.0']))).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(averagePrecision(['B00.0', 'A00.0'], new Set(['A00.0', 'Z99.9']))).toBeCloseTo(0.5 / 2, 10);
    // A repeated code counts once.
    expect(averagePrecision(['A00.0', 'A00.0', 'C00.0'], new Set(['A00.0', 'C00.0']))).toBe(1);
    expect(averagePrecision([], new Set(['A00.0']))).toBe(0);
  });

  it('expected calibration error is the bin-weighted gap between mean score and hit rate', () => {
    const nearlyCalibrated = [...Array(10)].map((_, i) => ({ score: 0.75, hit: i < 7 || i === 9 }));
    expect(expectedCalibrationError(nearlyCalibrated)).toBeCloseTo(0.05);
    expect(expectedCalibrationError([{ score: 0.95, hit: false }, { score: 0.05, hit: true }])).toBeCloseTo(0.95);
    expect(expectedCalibrationError([])).toBe(0);
  });

  it('recall@k counts gold codes among the first k', () => {
    expect(recallAt(['A', 'B', 'C'], new Set(['A', 'C', 'D', 'E']), 2)).toBe(0.25);
  });

  it('scores documents: MAP, category MAP, proposed-code P/R/F1 and per-code errors; documents without gold are skipped', () => {
    const documents = [document('d1', ['R52', 'I10']), document('d2', ['E11.9']), document('d3', [])];
    const lists: Record<string, Suggestion[]> = {
      d1: [suggestion('R52', true), suggestion('R50.9', true), suggestion('I10', false)],
      d2: [suggestion('E11.65', true), suggestion('E11.9', false)],
      d3: [suggestion('R69', true)],
    };
    const result = scoreDocuments(documents, (d) => lists[d.id]!);
    expect(result.n_docs).toBe(2);
    expect(result.map).toBeCloseTo(((1 + 2 / 3) / 2 + 1 / 2) / 2, 4);
    // Categories: d1 ranks R52, R50, I10 against {R52, I10}; d2 ranks E11 first.
    expect(result.map_category).toBeCloseTo(((1 + 2 / 3) / 2 + 1) / 2, 4);
    expect(result.precision).toBeCloseTo(1 / 3, 4);
    expect(result.recall).toBeCloseTo(1 / 3, 4);
    expect(result.recall_at_10).toBe(1);
    expect(result.errors.find((e) => e.code === 'R50.9')).toMatchObject({ falsePositives: 1, misses: 0, gold: 0 });
    expect(result.errors.find((e) => e.code === 'I10')).toMatchObject({ falsePositives: 0, misses: 1, gold: 1 });
  });
});
