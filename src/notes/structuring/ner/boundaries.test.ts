import { describe, expect, it } from 'vitest';
import { adjustDiseaseEdges, type DiseaseEdges } from './boundaries.ts';
import type { TokenSpan } from './propagate.ts';
import { nerTokens } from './tokens.ts';

const edges: DiseaseEdges = { leftOut: new Set(['severe', 'metastatic']), takenIn: new Set(['postoperative']), leftOutAfter: new Set(['threshold', 'attack']) };
const modifiers = new Set(['heart']);

const span = (text: string, phrase: string, type = 'disease'): TokenSpan => {
  const tokens = nerTokens(text);
  const start = text.indexOf(phrase);
  return { type, firstToken: tokens.findIndex((t) => t.start === start), endToken: tokens.findIndex((t) => t.end === start + phrase.length) + 1, score: 0.9 };
};

const adjust = (text: string, spans: TokenSpan[]) => {
  const tokens = nerTokens(text);
  return adjustDiseaseEdges(tokens, spans, edges, modifiers).map((s) => `${text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end)}/${s.type}`);
};

describe('adjustDiseaseEdges', () => {
  it('drops left-out words from the start of a disease mention (train: "severe [hypotension]")', () => {
    const text = 'Two developed severe metastatic breast cancer.';
    expect(adjust(text, [span(text, 'severe metastatic breast cancer')])).toEqual(['breast cancer/disease']);
  });

  it('keeps one word, and leaves chemicals alone', () => {
    const text = 'It was severe. Severe doses of metastatic sodium.';
    expect(adjust(text, [span(text, 'severe'), span(text, 'metastatic sodium', 'chemical')])).toEqual(['severe/disease', 'metastatic sodium/chemical']);
  });

  it('takes in a free taken-in word right before a disease mention (train: "postoperative nausea and vomiting")', () => {
    const text = 'the incidence of postoperative nausea was lower';
    expect(adjust(text, [span(text, 'nausea')])).toEqual(['postoperative nausea/disease']);
    const glued = 'postoperative-nausea';
    expect(adjust(glued, [span(glued, 'nausea')])).toEqual(['nausea/disease']);
  });

  it('drops left-out words from the end, never down to a modifier (train: "[seizure] threshold"; "heart attack" stays)', () => {
    const text = 'a lower seizure threshold after a heart attack';
    expect(adjust(text, [span(text, 'seizure threshold'), span(text, 'heart attack')])).toEqual(['seizure/disease', 'heart attack/disease']);
  });
});
