import { describe, expect, it } from 'vitest';
import { decisionsForLearning } from './decisions.ts';

describe('decisionsForLearning', () => {
  it('makes positives of accepted, added and replacement codes and negatives of rejected and replaced suggestions', () => {
    const base = { noteId: 'n1', text: 'Essential hypertension.', suggestedEvidence: null };
    const out = decisionsForLearning([
      { ...base, action: 'accept', suggestedCode: 'I10', finalCode: 'I10' },
      { ...base, action: 'reject', suggestedCode: 'R03.0', finalCode: null },
      { ...base, action: 'replace', suggestedCode: 'I11.9', finalCode: 'I13.10' },
      { ...base, action: 'add', suggestedCode: null, finalCode: 'Z79.899' },
      // A later review rejects what was accepted before: the latest decision wins.
      { ...base, action: 'reject', suggestedCode: 'I10', finalCode: null },
    ]);
    const byCode = Object.fromEntries(out.map((d) => [d.code, d.accepted]));
    expect(byCode).toEqual({ I10: false, 'R03.0': false, 'I11.9': false, 'I13.10': true, 'Z79.899': true });
    expect(out.every((d) => d.text === base.text)).toBe(true);
  });

  it('gives the suggested code its evidence spans, and replacement or added codes none', () => {
    const text = 'Essential hypertension. Hypertensive heart disease on echo.';
    const evidence = [{ start: 0, end: 22 }];
    const out = decisionsForLearning([
      { noteId: 'n1', text, action: 'accept', suggestedCode: 'I10', finalCode: 'I10', suggestedEvidence: evidence },
      { noteId: 'n2', text, action: 'replace', suggestedCode: 'I10', finalCode: 'I11.9', suggestedEvidence: evidence },
      { noteId: 'n3', text, action: 'reject', suggestedCode: 'I10', finalCode: null, suggestedEvidence: evidence },
      { noteId: 'n4', text, action: 'add', suggestedCode: null, finalCode: 'I11.9', suggestedEvidence: null },
      // Stored suggestions from before evidence was kept: nothing to carry.
      { noteId: 'n5', text, action: 'accept', suggestedCode: 'I10', finalCode: 'I10', suggestedEvidence: [] },
    ]);
    expect(out.map((d) => [d.code, d.accepted, d.evidence ?? null])).toEqual([
      ['I10', true, evidence],
      ['I10', false, evidence],
      ['I11.9', true, null],
      ['I10', false, evidence],
      ['I11.9', true, null],
      ['I10', true, null],
    ]);
  });
});
