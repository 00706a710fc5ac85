import { describe, expect, it } from 'vitest';
import { decisionsForLearning } from './decisions.ts';

describe('decisionsForLearning', () => {
  it('makes positives of accepted, added and replacement codes and negatives of rejected and replaced suggestions', () => {
    const base = { noteId: 'n1', text: 'Essential hypertension.' };
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
});
