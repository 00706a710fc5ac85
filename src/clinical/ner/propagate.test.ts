import { describe, expect, it } from 'vitest';
import { propagateMentions, type TokenSpan } from './propagate.ts';
import { nerTokens } from './tokens.ts';

const spanOf = (text: string, phrase: string, type: string, from = 0): TokenSpan => {
  const tokens = nerTokens(text);
  const start = text.indexOf(phrase, from);
  const first = tokens.findIndex((t) => t.start === start);
  const last = tokens.findIndex((t) => t.end === start + phrase.length);
  return { type, firstToken: first, endToken: last + 1, score: 0.9 };
};

const show = (text: string, spans: TokenSpan[]) => {
  const tokens = nerTokens(text);
  return spans.map((s) => `${text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end)}/${s.type}`);
};

describe('propagateMentions', () => {
  it('tags an abbreviation defined after a mention, and its later uses', () => {
    const text = 'Patients with Machado-Joseph disease (MJD) were studied. MJD is rare; MJD1 is a gene.';
    const out = propagateMentions(nerTokens(text), [spanOf(text, 'Machado-Joseph disease', 'disease')]);
    expect(show(text, out)).toEqual(['Machado-Joseph disease/disease', 'MJD/disease', 'MJD/disease']);
  });

  it('tags every recurrence of a tagged name in any case, never over an existing span or inside a longer word', () => {
    const text = 'Cisplatin caused nephrotoxicity. After cisplatin, Cisplatin-induced injury; Cisplatinum differs.';
    const tagged = [spanOf(text, 'Cisplatin', 'chemical'), spanOf(text, 'Cisplatin-induced injury', 'disease')];
    const out = propagateMentions(nerTokens(text), tagged);
    expect(show(text, out)).toEqual(['Cisplatin/chemical', 'cisplatin/chemical', 'Cisplatin-induced injury/disease']);
  });

  it('matches abbreviations only as written', () => {
    const text2 = 'Chronic PKD relapses. Pkd is a gene. PKD again.';
    expect(show(text2, propagateMentions(nerTokens(text2), [spanOf(text2, 'PKD', 'disease')]))).toEqual(['PKD/disease', 'PKD/disease']);
  });

  it('leaves names under three characters alone', () => {
    const text = 'HD was excluded. HD again.';
    expect(show(text, propagateMentions(nerTokens(text), [spanOf(text, 'HD', 'disease')]))).toEqual(['HD/disease']);
  });
});
