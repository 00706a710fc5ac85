import { describe, expect, it } from 'vitest';
import { tokenize } from './text.ts';

const keys = (text: string) => tokenize(text).map((t) => t.stem);

describe('word keys', () => {
  it('give inflections and organ or bone adjectives the key of their noun', () => {
    expect(keys('fractures fractured')).toEqual(keys('fracture fracture'));
    expect(keys('renal femoral humeral vertebral')).toEqual(keys('kidney femur humerus vertebra'));
  });

  it('keep offsets into the original text, accents folded', () => {
    expect(tokenize('Fémur, left')).toEqual([
      { text: 'femur', stem: keys('femur')[0], start: 0, end: 5 },
      { text: 'left', stem: 'left', start: 7, end: 11 },
    ]);
  });
});
