import { describe, expect, it } from 'vitest';
import { joinCoordinatedModifiers } from './coordination.ts';
import type { TokenSpan } from './propagate.ts';
import { nerTokens } from './tokens.ts';

const modifiers = new Set(['pulmonary', 'renal', 'hepatic', 'glomerular', 'tubular', 'myoclonic', 'atonic', 'absence']);

const span = (text: string, phrase: string, type = 'disease'): TokenSpan => {
  const tokens = nerTokens(text);
  const start = text.indexOf(phrase);
  return { type, firstToken: tokens.findIndex((t) => t.start === start), endToken: tokens.findIndex((t) => t.end === start + phrase.length) + 1, score: 0.9 };
};

const join = (text: string, spans: TokenSpan[]) => {
  const tokens = nerTokens(text);
  return joinCoordinatedModifiers(tokens, spans, modifiers).map((s) => `${text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end)}/${s.type}`);
};

describe('joinCoordinatedModifiers', () => {
  it('takes coordinated modifiers into the mention of their shared head noun (train: "pulmonary and renal insufficiency")', () => {
    const text = 'patients with pulmonary and renal insufficiency were excluded';
    expect(join(text, [span(text, 'renal insufficiency')])).toEqual(['pulmonary and renal insufficiency/disease']);
  });

  it('reads "and/or" and comma lists, taking in a one-word span found on the way', () => {
    const list = 'Myoclonic, atonic, and absence seizures followed';
    expect(join(list, [span(list, 'Myoclonic'), span(list, 'absence seizures')])).toEqual(['Myoclonic, atonic, and absence seizures/disease']);
    const either = 'renal and/or hepatic dysfunction';
    expect(join(either, [span(either, 'hepatic dysfunction')])).toEqual(['renal and/or hepatic dysfunction/disease']);
  });

  it('leaves two whole mentions, a non-modifier before the conjunction and chemicals apart', () => {
    const two = 'hepatitis and renal failure';
    expect(join(two, [span(two, 'hepatitis'), span(two, 'renal failure')])).toEqual(['hepatitis/disease', 'renal failure/disease']);
    const rats = 'rats and renal failure';
    expect(join(rats, [span(rats, 'renal failure')])).toEqual(['renal failure/disease']);
    const chemical = 'renal and hepatic glucuronide';
    expect(join(chemical, [span(chemical, 'hepatic glucuronide', 'chemical')])).toEqual(['hepatic glucuronide/chemical']);
  });

  it('does not join over a head noun that is a single word ("renal or failure" has no modifier to share)', () => {
    const text = 'glomerular and tubular damage, renal or failure';
    expect(join(text, [span(text, 'failure')])).toEqual(['failure/disease']);
  });
});
