import { describe, expect, it } from 'vitest';
import { matchKey, normalizeWord, splitSentences, tokenize } from './tokens.ts';

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

  it('builds the same match key for spelling variants of a phrase', () => {
    expect(matchKey('CHEST-PAIN')).toBe(matchKey('chest pains'));
    expect(matchKey('the chest pain')).toBe(matchKey('Chest pain'));
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends and list lines but not on dotted abbreviations', () => {
    // ACI-BENCH style review of systems plus a dotted sig.
    const text = 'REVIEW OF SYSTEMS\n\n• Constitutional: Endorses fatigue. Denies fevers, chills, or weight loss.\n• Respiratory: Endorses cough.\nTake 1 tab p.o. b.i.d. with food.';
    const sentences = splitSentences(text, tokenize(text)).map((s) => text.slice(s.start, s.end));
    expect(sentences).toEqual([
      'REVIEW OF SYSTEMS',
      '• Constitutional: Endorses fatigue.',
      'Denies fevers, chills, or weight loss.',
      '• Respiratory: Endorses cough.',
      'Take 1 tab p.o. b.i.d. with food.',
    ]);
  });
});
