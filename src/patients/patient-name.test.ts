import { describe, expect, it } from 'vitest';
import { foldedWords, searchableName } from './patient-name.ts';

describe('patient name folding', () => {
  it('removes accents and case, so "Nguyen" and "NGUYỄN" fold alike', () => {
    expect(foldedWords('Nguyễn')).toEqual(['nguyen']);
    expect(foldedWords('NGUYỄN Thị Đào')).toEqual(['nguyen', 'thi', 'dao']);
    expect(foldedWords('José Ramírez-Østergaard')).toEqual(['jose', 'ramirez', 'ostergaard']);
    expect(foldedWords('Łukasz Wałęsa')).toEqual(['lukasz', 'walesa']);
  });

  it('drops apostrophes inside a word and splits on other punctuation', () => {
    expect(foldedWords("Siobhán O'Brien")).toEqual(['siobhan', 'obrien']);
    expect(foldedWords('Okafor,  Chidi (Jr.)')).toEqual(['okafor', 'chidi', 'jr']);
  });

  it('keeps letters of other scripts', () => {
    expect(foldedWords('Иван Петров')).toEqual(['иван', 'петров']);
  });

  it('stores the words padded with spaces, so a word start is "% word"', () => {
    expect(searchableName('Ada  Lovelace')).toBe(' ada lovelace ');
    expect(searchableName(null)).toBeNull();
    expect(searchableName('')).toBeNull();
  });

  it('folds a name written in decomposed form like the same name precomposed', () => {
    expect(searchableName('Nguye\u0302\u0303n')).toBe(searchableName('Nguyễn'));
  });
});
