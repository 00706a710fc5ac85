import { describe, expect, it } from 'vitest';
import { isPoaExempt, proposePoa } from './poa.ts';

describe('present on admission', () => {
  it('knows exempt codes', () => {
    expect(['Z79.4', 'Z87.891', 'I25.2', 'O80', 'Q21.0', 'Z3A.39'].every(isPoaExempt)).toBe(true);
    expect(['I10', 'J18.9', 'L89.152', 'N39.0'].some(isPoaExempt)).toBe(false);
  });

  const whole = (text: string) => [{ text, start: 0, end: text.length }];
  const around = (text: string, words: string) => [{ text, start: text.indexOf(words), end: text.indexOf(words) + words.length }];

  it('proposes from the words that date the onset, and nothing when the text is silent', () => {
    expect(proposePoa('N39.0', whole('Urinary tract infection developed on day 3.'))).toEqual({ poa: 'N', because: '"on day 3"' });
    expect(proposePoa('L89.152', whole('Stage 2 sacral pressure ulcer noted on hospital day 4 after admission.'))?.poa).toBe('N');
    expect(proposePoa('A04.72', whole('Hospital-acquired C. difficile colitis.'))?.poa).toBe('N');
    expect(proposePoa('J18.9', whole('Pneumonia, present on admission.'))?.poa).toBe('Y');
    expect(proposePoa('J18.9', whole('She presented with fever and a right lower lobe pneumonia.'))?.poa).toBe('Y');
    expect(proposePoa('N18.31', whole('Chronic kidney disease stage 3a.'))?.poa).toBe('Y');
    expect(proposePoa('J18.9', whole('Pneumonia.'))).toBeUndefined();
    // Both kinds of words in one sentence: the nearest to the condition decides.
    const both = 'Admitted with pneumonia; developed a urinary tract infection on hospital day 3.';
    expect(proposePoa('N39.0', around(both, 'urinary tract infection'))?.poa).toBe('N');
    expect(proposePoa('J18.9', around(both, 'pneumonia'))?.poa).toBe('Y');
  });
});
