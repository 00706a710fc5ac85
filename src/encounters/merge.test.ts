import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../coding/icd10/suggest.ts';
import { mergeEncounterSuggestions, sentenceAround } from './merge.ts';

const suggestion = (code: string, over: Partial<Suggestion> & { role?: string; rule?: string } = {}): Suggestion =>
  ({ code, title: code, billable: true, score: 0.9, rank: 1, proposed: true, evidence: [], flags: [], codeSetVersion: 'FY2021', rankerVersion: 'r1', ...over }) as Suggestion;

const admission = 'Admitted with community acquired pneumonia. Known type 2 diabetes. ';
const progress = 'Day 3: developed a pressure ulcer of the sacrum on hospital day 3. Pneumonia improving.';
const span = (text: string, words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length, text: words, source: 'lexicon' as const, assertion: 'present' as const });

describe('encounter suggestions', () => {
  it('sets evidence in its sentence', () => {
    const text = 'No fever.\nCough for 3 days. BP 140/90';
    expect(sentenceAround(text, text.indexOf('Cough'), text.indexOf('Cough') + 5)).toEqual({ text: 'Cough for 3 days.', start: 0, end: 5 });
    expect(sentenceAround(text, text.indexOf('BP'), text.indexOf('BP') + 2)).toEqual({ text: 'BP 140/90', start: 0, end: 2 });
  });

  it('merges one suggestion per code with every note’s evidence, principal first by role, and proposes POA', () => {
    const merged = mergeEncounterSuggestions(
      [
        {
          noteId: 'n2',
          authoredAt: new Date('2026-03-04'),
          kind: 'progress',
          text: progress,
          suggestions: [
            suggestion('L89.152', { score: 0.7, role: 'secondary', evidence: [span(progress, 'pressure ulcer of the sacrum')] }),
            suggestion('J18.9', { score: 0.95, role: 'principal', rule: 'reason for admission', evidence: [span(progress, 'Pneumonia')] }),
          ],
        },
        {
          noteId: 'n1',
          authoredAt: new Date('2026-03-01'),
          kind: 'admission',
          text: admission,
          suggestions: [
            suggestion('J18.9', { score: 0.8, role: 'principal', evidence: [span(admission, 'community acquired pneumonia')] }),
            suggestion('E11.9', { score: 0.85, role: 'principal', evidence: [span(admission, 'type 2 diabetes')] }),
            suggestion('Z87.891', { score: 0.3, proposed: false, role: 'history' }),
          ],
        },
      ],
      'inpatient',
    );
    expect(merged.map((s) => [s.code, s.role, s.rank])).toEqual([
      ['J18.9', 'principal', 1],
      ['E11.9', 'secondary', 2],
      ['L89.152', 'secondary', 3],
      ['Z87.891', 'history', 4],
    ]);
    const pneumonia = merged[0]!;
    expect(pneumonia.score).toBe(0.95);
    expect(pneumonia.rule).toBe('reason for admission');
    expect(pneumonia.noteIds).toEqual(['n1', 'n2']);
    expect(pneumonia.evidence.map((e) => [e.noteId, e.sentence.text])).toEqual([
      ['n1', 'Admitted with community acquired pneumonia.'],
      ['n2', 'Pneumonia improving.'],
    ]);
    expect(pneumonia.poaProposal).toEqual({ poa: 'Y', because: '"Admitted with"' });
    expect(merged[1]!.poaProposal?.poa).toBe('Y');
    expect(merged[2]!.poaProposal).toEqual({ poa: 'N', because: '"on hospital day 3"' });
    expect(merged[3]!.poaProposal?.poa).toBe('exempt');
    expect(mergeEncounterSuggestions([{ noteId: 'n1', authoredAt: new Date(), kind: 'x', text: admission, suggestions: [suggestion('E11.9')] }], 'outpatient')[0]!.poaProposal).toBeUndefined();
  });
});
