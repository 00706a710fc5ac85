import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../src/coding/icd10/suggest.ts';
import { evaluateCodingCases, parseCodingCases } from './coding-cases.ts';

function suggestion(code: string, proposed: boolean, evidence: string, confidence: Suggestion['confidence'] = 'high'): Suggestion {
  return {
    code, title: code, billable: true, score: 0.5, confidence, confidenceBasis: 'test', rank: 0, proposed, role: 'secondary', rule: `${code}: test`,
    evidence: [{ start: 0, end: evidence.length, text: evidence, source: 'mention', assertion: 'present' }],
    flags: [], codeSetVersion: 'FY2021', rankerVersion: 'test',
  };
}

describe('coding cases', () => {
  it('names the line of a malformed case', () => {
    const good = '{"id":"c1","setting":"outpatient","text":"HTN.","gold":["I10"],"must_not":[]}';
    expect(() => parseCodingCases(`${good}\n{"id":"c2","setting":"clinic","text":"x","gold":["I10"]}`, 'f.jsonl')).toThrow(/f\.jsonl, line 2: setting/);
    expect(() => parseCodingCases(`${good}\nnot json`, 'f.jsonl')).toThrow(/line 2: not valid JSON/);
    expect(() => parseCodingCases(`${good}\n${good}`, 'f.jsonl')).toThrow(/line 2: duplicate id c1/);
    expect(() => parseCodingCases('{"id":"c3","setting":"ED","text":"x","gold":["I10x"]}', 'f.jsonl')).toThrow(/line 1: gold\.0/);
    expect(parseCodingCases(`\n${good}\n`)).toEqual([{ id: 'c1', setting: 'outpatient', text: 'HTN.', gold: ['I10'], must_not: [] }]);
  });

  it('scores proposed codes only: precision, recall, MAP, must-not leaks and unsupported evidence', async () => {
    const cases = parseCodingCases(
      [
        '{"id":"a","setting":"outpatient","text":"t","gold":["I10","E11.9"],"must_not":["R50.9"]}',
        '{"id":"b","setting":"inpatient","text":"t","gold":["J18.9"],"must_not":[]}',
      ].join('\n'),
    );
    const answers: Record<string, Suggestion[]> = {
      a: [suggestion('I10', true, 'hypertension'), suggestion('R50.9', true, 'hypertension', 'medium'), suggestion('E11.9', false, 'diabetes', 'low')],
      b: [suggestion('J18.9', true, 'pneumonia')],
    };
    let i = 0;
    const order = ['a', 'b'];
    const supports = (code: string, text: string) => !(code === 'R50.9' && text === 'hypertension');
    const { result, cases: outcomes, byConfidence } = await evaluateCodingCases(cases, () => answers[order[i++]!]!, supports);
    expect(result).toMatchObject({ suite: 'coding-cases', n: 2, precision: 0.6667, recall: 0.6667, must_not_leaks: 1, unsupported: 1 });
    // a: AP = (1/1 + 2/3) / 2; b: 1.
    expect(result.map).toBeCloseTo(((1 + 2 / 3) / 2 + 1) / 2, 4);
    // Unproposed codes are not counted; each level's precision is over the proposed codes at that level.
    expect(byConfidence).toEqual([
      { confidence: 'high', proposed: 2, precision: 1 },
      { confidence: 'medium', proposed: 1, precision: 0 },
    ]);
    expect(outcomes[0]).toMatchObject({ misses: ['E11.9'], falsePositives: ['R50.9'], leaks: ['R50.9'], unsupported: ['R50.9'], principalCorrect: true });
  });
});
