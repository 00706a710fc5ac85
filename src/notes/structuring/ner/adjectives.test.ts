import { describe, expect, it } from 'vitest';
import { nounForms, tagDerivedDiseaseWords } from './adjectives.ts';
import type { TokenSpan } from './propagate.ts';
import { nerTokens } from './tokens.ts';

const diseaseNouns = new Set(['dyskinesia', 'epilepsy', 'nephrotoxicity', 'thrombosis', 'diabetes', 'fracture', 'epileptic']);

const tag = (text: string, spans: TokenSpan[] = []) => {
  const tokens = nerTokens(text);
  return tagDerivedDiseaseWords(tokens, spans, (name) => diseaseNouns.has(name)).map((s) => `${text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end)}/${s.type}`);
};

describe('nounForms', () => {
  it('derives the noun forms of an -ic adjective, and none for other words', () => {
    expect(nounForms('Dyskinetic')).toContain('dyskinesia');
    expect(nounForms('epileptic')).toContain('epilepsy');
    expect(nounForms('nephrotoxic')).toContain('nephrotoxicity');
    expect(nounForms('thrombotic')).toContain('thrombosis');
    expect(nounForms('diabetic')).toContain('diabetes');
    expect(nounForms('fractures')).toContain('fracture');
    expect(nounForms('diabetics')).toContain('diabetes');
    expect(nounForms('tonic')).toEqual([]);
    expect(nounForms('dyskinesia')).toEqual([]);
  });
});

describe('tagDerivedDiseaseWords', () => {
  it('tags a free plural of a disease noun, not a Latin "-us" (train: "vertebral fractures")', () => {
    expect(tag('Two fractures; status epilepticus.')).toEqual(['fractures/disease']);
  });

  it('tags a free disease adjective (train: "nephrotoxic doses", "diabetic rats")', () => {
    expect(tag('Diabetic rats received nephrotoxic doses of gentamicin.')).toEqual(['Diabetic/disease', 'nephrotoxic/disease']);
  });

  it('leaves words inside a found span, hyphenated words and adjectives of non-diseases alone', () => {
    const text = 'dyskinetic movements, anti-epileptic drugs and a toxic dose';
    const tokens = nerTokens(text);
    const found: TokenSpan = { type: 'disease', firstToken: 0, endToken: 2, score: 0.9 };
    expect(tokens[1]!.text).toBe('movements');
    expect(tag(text, [found])).toEqual(['dyskinetic movements/disease']);
  });
});
