import { describe, expect, it } from 'vitest';
import { problemCategory } from './problems.ts';
import { structureNote } from './structure.ts';

const problemsOf = (text: string) => structureNote(text).problems;

describe('problems', () => {
  it('links mentions to ICD-10-CM candidate codes (ACI-BENCH sentence)', () => {
    const text = 'Brian White is a 58-year-old male with a past medical history significant for congestive heart failure and hypertension.';
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.text, p.candidateCodes[0]])).toEqual([
      ['congestive heart failure', 'I50.9'],
      ['hypertension', 'I10'],
    ]);
    expect(problems.every((p) => p.context.historical && p.category === 'diagnosis')).toBe(true);
    for (const p of problems) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('negates every finding in a denial list', () => {
    const text = 'He denies weight gain, swelling in the lower extremities, fevers, chills, dizziness, nausea, vomiting, and diarrhea.';
    const problems = problemsOf(text);
    expect(problems.map((p) => p.text)).toEqual(expect.arrayContaining(['fevers', 'chills', 'dizziness', 'nausea', 'vomiting', 'diarrhea']));
    expect(problems.every((p) => p.context.negated)).toBe(true);
  });

  it('expands clinical abbreviations, and ambiguous ones only in capitals', () => {
    const [htn, dm, cad] = problemsOf('PMH: HTN, DM2, CAD.');
    expect(htn).toMatchObject({ text: 'HTN', candidateCodes: ['I10'], matchedBy: expect.any(String) });
    expect(dm!.candidateCodes).toContain('E11.9');
    expect(cad!.candidateCodes).toContain('I25.1');
    // "all" is only acute lymphoblastic leukemia when written ALL.
    expect(problemsOf('She has all of her medications with her.')).toEqual([]);
  });

  it('uses the Neoplasm Table phrasings', () => {
    expect(problemsOf('Colon cancer in 2015.')[0]).toMatchObject({ text: 'Colon cancer', candidateCodes: ['C18.9'] });
    expect(problemsOf('Carcinoma of the breast.')[0]!.candidateCodes).toEqual(['C50.9']);
  });

  it('categorises by ICD-10-CM chapter', () => {
    expect(problemCategory('R07.9')).toBe('symptom');
    expect(problemCategory('R79.89')).toBe('finding');
    expect(problemCategory('I10')).toBe('diagnosis');
    expect(problemCategory('W19')).toBe('external_cause');
  });
});
