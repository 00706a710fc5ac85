import { describe, expect, it } from 'vitest';
import { charIds, FEATURE_COUNT, FEATURE_NAMES, gazetteerMentions, MAX_WORD_CHARS, nerTokens, tokenFeatures, wordKey } from './tokens.ts';

describe('nerTokens', () => {
  it('splits letters, digits and symbols so mention edges fall on token edges', () => {
    const text = 'alpha-methyldopa (5-FU) 10mg';
    expect(nerTokens(text).map((t) => t.text)).toEqual(['alpha', '-', 'methyldopa', '(', '5', '-', 'FU', ')', '10', 'mg']);
    for (const t of nerTokens(text)) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

describe('wordKey and charIds', () => {
  it('lowercases and zeroes digits for the embedding key', () => {
    expect(wordKey('IL6')).toBe('il0');
  });
  it('maps ASCII to code + 2, other characters to 1, and keeps both ends of long words', () => {
    expect(charIds('Aé')).toEqual([65 + 2, 1]);
    const long = 'a'.repeat(15) + 'b'.repeat(15);
    const ids = charIds(long);
    expect(ids).toHaveLength(MAX_WORD_CHARS);
    expect(ids[0]).toBe(97 + 2);
    expect(ids.at(-1)).toBe(98 + 2);
  });
});

describe('tokenFeatures', () => {
  const feature = (features: Float32Array, token: number, name: (typeof FEATURE_NAMES)[number]) =>
    features[token * FEATURE_COUNT + FEATURE_NAMES.indexOf(name)];

  it('marks shape and gazetteer begin/inside per token', () => {
    const text = 'Metformin for type 2 diabetes mellitus; HIV.';
    const tokens = nerTokens(text);
    const f = tokenFeatures(text, tokens);
    const at = (word: string) => tokens.findIndex((t) => t.text === word);
    expect(feature(f, at('Metformin'), 'capitalised')).toBe(1);
    expect(feature(f, at('Metformin'), 'drug-begin')).toBe(1);
    expect(feature(f, at('type'), 'problem-begin')).toBe(1);
    expect(feature(f, at('diabetes'), 'problem-inside')).toBe(1);
    expect(feature(f, at('2'), 'has-digit')).toBe(1);
    expect(feature(f, at(';'), 'symbol')).toBe(1);
    expect(feature(f, at('HIV'), 'all-capitals')).toBe(1);
    expect(feature(f, at('for'), 'problem-begin')).toBe(0);
  });

  it('leaves the gazetteer columns at zero when asked (the ablation)', () => {
    const text = 'Metformin for diabetes.';
    const f = tokenFeatures(text, nerTokens(text), { gazetteer: false });
    expect(feature(f, 0, 'drug-begin')).toBe(0);
    expect(feature(f, 0, 'capitalised')).toBe(1);
  });
});

describe('gazetteerMentions', () => {
  it('reads lexicon matches as mentions, a drug over an overlapping problem phrase', () => {
    const text = 'Metformin for type 2 diabetes mellitus.';
    const found = gazetteerMentions(text).map((m) => [text.slice(m.start, m.end), m.type]);
    expect(found).toContainEqual(['Metformin', 'chemical']);
    expect(found).toContainEqual(['type 2 diabetes mellitus', 'disease']);
  });
});
