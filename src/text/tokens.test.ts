import { describe, expect, it } from 'vitest';
import { matchKey, normalizeWord, tokenize } from './tokens.ts';

describe('tokenize', () => {
  it('keeps offsets into the original text', () => {
    const text = 'Metoprolol 25 mg PO BID, hold if HR < 60.';
    const tokens = tokenize(text);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokens.map((t) => t.kind)).toEqual(['word', 'number', 'word', 'word', 'word', 'punct', 'word', 'word', 'word', 'punct', 'number', 'punct']);
  });

  it('maps inflected forms onto one key and leaves abbreviations alone', () => {
    expect(normalizeWord('Fevers')).toBe(normalizeWord('fever'));
    expect(normalizeWord('denies')).toBe(normalizeWord('deny'));
    expect(normalizeWord("mother's")).toBe('mother');
    expect(normalizeWord('PE')).toBe('pe');
    expect(normalizeWord('diabetes')).toBe(normalizeWord('Diabetes'));
  });

  it('cuts alphanumeric runs apart only at symbols and spaces, prose tokens also between letters and digits', () => {
    const text = "T2DM, mother's HbA1c 7.5%";
    expect(tokenize(text, 'alphanumeric').map((t) => [t.text, t.kind])).toEqual([
      ['T2DM', 'word'], ['mother', 'word'], ['s', 'word'], ['HbA1c', 'word'], ['7', 'number'], ['5', 'number'],
    ]);
    expect(tokenize(text).map((t) => t.text)).toEqual(['T', '2', 'DM', ',', "mother's", 'HbA', '1', 'c', '7.5', '%']);
  });

  it('builds the same match key for spelling variants of a phrase', () => {
    expect(matchKey('CHEST-PAIN')).toBe(matchKey('chest pains'));
    expect(matchKey('the chest pain')).toBe(matchKey('Chest pain'));
  });
});
