import { describe, expect, it } from 'vitest';
import { applyMemory, nameKey, type NameMemory } from './memory.ts';
import type { TokenSpan } from './propagate.ts';
import { nerTokens } from './tokens.ts';

const memory: NameMemory = {
  keep: new Map([
    ['5 - fu', 'chemical'],
    ['AIDS', 'disease'],
  ]),
  drop: new Set(['placebo', 'CNS']),
  longest: 3,
  diseaseNouns: new Set(),
  modifiers: new Set(),
  edges: { leftOut: new Set(), takenIn: new Set(), leftOutAfter: new Set() },
};

const show = (text: string, spans: TokenSpan[]) => {
  const tokens = nerTokens(text);
  return spans.map((s) => `${text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end)}/${s.type}`);
};

const span = (text: string, phrase: string, type: string): TokenSpan => {
  const tokens = nerTokens(text);
  const start = text.indexOf(phrase);
  return {
    type,
    firstToken: tokens.findIndex((t) => t.start === start),
    endToken: tokens.findIndex((t) => t.end === start + phrase.length) + 1,
    score: 0.9,
  };
};

describe('nameKey', () => {
  it('folds case unless the name has no lower-case letter', () => {
    expect(nameKey(['Placebo'])).toBe('placebo');
    expect(nameKey(['CNS'])).toBe('CNS');
    expect(nameKey(['5', '-', 'FU'])).toBe('5 - FU');
  });
});

describe('applyMemory', () => {
  it('drops names the annotators almost never marked and adds names they nearly always marked', () => {
    const text = 'Placebo or 5-Fu given; AIDS and CNS toxicity; aids to walking.';
    const tokens = nerTokens(text);
    const out = applyMemory(tokens, [span(text, 'Placebo', 'chemical'), span(text, 'CNS toxicity', 'disease'), span(text, 'CNS', 'disease')], memory);
    // "CNS toxicity" is kept (only the bare "CNS" is dropped); "aids" is not the abbreviation AIDS.
    expect(show(text, out)).toEqual(['5-Fu/chemical', 'AIDS/disease', 'CNS toxicity/disease']);
  });

  it('never adds a name over a span the network found or inside a longer word', () => {
    const text = 'AIDS-related lymphoma in AIDSX.';
    const out = applyMemory(nerTokens(text), [span(text, 'AIDS-related lymphoma', 'disease')], memory);
    expect(show(text, out)).toEqual(['AIDS-related lymphoma/disease']);
  });
});

describe('applyMemory over found spans', () => {
  const longer: NameMemory = { ...memory, keep: new Map([['status epilepticus', 'disease'], ['nephrotoxicity', 'disease']]), drop: new Set(), longest: 2 };
  it('lets a remembered name take in a span the network found inside it, never cut one', () => {
    const text = 'Status epilepticus followed; later epilepticus seizures.';
    const tokens = nerTokens(text);
    const out = applyMemory(tokens, [span(text, 'epilepticus', 'disease')], longer);
    expect(show(text, out)).toEqual(['Status epilepticus/disease']);
    const cut = 'status epilepticus seizures';
    expect(show(cut, applyMemory(nerTokens(cut), [span(cut, 'epilepticus seizures', 'disease')], longer))).toEqual(['epilepticus seizures/disease']);
  });

  it('gives a span the network found exactly the remembered type', () => {
    const text = 'Nephrotoxicity is the major adverse effect of amphotericin B.';
    const out = applyMemory(nerTokens(text), [span(text, 'Nephrotoxicity', 'chemical'), span(text, 'amphotericin B', 'chemical')], longer);
    expect(show(text, out)).toEqual(['Nephrotoxicity/disease', 'amphotericin B/chemical']);
  });
});
