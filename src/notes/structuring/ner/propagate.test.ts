import { describe, expect, it } from 'vitest';
import { longFormStart, propagateMentions, resolveAbbreviations, type TokenSpan } from './propagate.ts';
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
  it('tags an abbreviation defined after a mention, and later uses of a chemical one', () => {
    const text = 'Patients with Machado-Joseph disease (MJD) were studied. MJD is rare; MJD1 is a gene.';
    const out = propagateMentions(nerTokens(text), [spanOf(text, 'Machado-Joseph disease', 'disease')]);
    expect(show(text, out)).toEqual(['Machado-Joseph disease/disease', 'MJD/disease']);
    const drug = 'Given cisplatin (CDDP) daily. CDDP was stopped; CDDPX is not it.';
    expect(show(drug, propagateMentions(nerTokens(drug), [spanOf(drug, 'cisplatin', 'chemical')]))).toEqual(['cisplatin/chemical', 'CDDP/chemical', 'CDDP/chemical']);
  });

  it('tags every recurrence of a tagged name in any case, never over an existing span or inside a longer word', () => {
    const text = 'Cisplatin caused nephrotoxicity. After cisplatin, Cisplatin-induced injury; Cisplatinum differs.';
    const tagged = [spanOf(text, 'Cisplatin', 'chemical'), spanOf(text, 'Cisplatin-induced injury', 'disease')];
    const out = propagateMentions(nerTokens(text), tagged);
    expect(show(text, out)).toEqual(['Cisplatin/chemical', 'cisplatin/chemical', 'Cisplatin-induced injury/disease']);
  });

  it('matches abbreviations only as written', () => {
    const text2 = 'Given DOX daily. Dox is a name. DOX again.';
    expect(show(text2, propagateMentions(nerTokens(text2), [spanOf(text2, 'DOX', 'chemical')]))).toEqual(['DOX/chemical', 'DOX/chemical']);
  });

  it('leaves names under three characters and disease names alone', () => {
    const text = 'HD was excluded. HD again.';
    expect(show(text, propagateMentions(nerTokens(text), [spanOf(text, 'HD', 'chemical')]))).toEqual(['HD/chemical']);
    const sense = 'Depression was treated. ST depression on the ECG.';
    expect(show(sense, propagateMentions(nerTokens(sense), [spanOf(sense, 'Depression', 'disease')]))).toEqual(['Depression/disease']);
  });
});

describe('longFormStart', () => {
  const longForm = (before: string, abbreviation: string) => {
    const start = longFormStart(before, abbreviation);
    return start < 0 ? null : before.slice(start).trim();
  };
  it('finds the words the letters of the abbreviation come from, the first at a word start', () => {
    expect(longForm('Rats were given the drug for overactive bladder ', 'OAB')).toBe('overactive bladder');
    expect(longForm('in spontaneously hypertensive rats ', 'SHR')).toBe('spontaneously hypertensive rats');
    expect(longForm('treated with 5-fluorouracil ', '5-FU')).toBe('5-fluorouracil');
  });
  it('stays inside the clause and gives up when the letters are not there', () => {
    expect(longForm('After surgery, atrial fibrillation ', 'AF')).toBe('atrial fibrillation');
    expect(longForm('the patients ', 'XYZ')).toBeNull();
  });
});

describe('resolveAbbreviations', () => {
  it('gives every use of a defined abbreviation the type of its long form, adding the ones the network missed', () => {
    const text = 'Drugs for overactive bladder (OAB) were compared. OAB improved; OABSS scores rose.';
    const out = resolveAbbreviations(text, nerTokens(text), [spanOf(text, 'overactive bladder', 'disease'), spanOf(text, 'OAB', 'chemical', 40)]);
    expect(show(text, out)).toEqual(['overactive bladder/disease', 'OAB/disease', 'OAB/disease']);
  });
  it('drops an abbreviation whose long form is no mention', () => {
    const text = 'In spontaneously hypertensive rats (SHR), captopril lowered pressure. SHR were heavier.';
    const out = resolveAbbreviations(text, nerTokens(text), [spanOf(text, 'SHR', 'chemical'), spanOf(text, 'captopril', 'chemical'), spanOf(text, 'SHR', 'chemical', 50)]);
    expect(show(text, out)).toEqual(['captopril/chemical']);
  });
});

describe('resolveAbbreviations with a long form ending in a mention', () => {
  it('types the abbreviation by the mention that ends its long form', () => {
    const text = 'Heparin-induced thrombocytopenia (HIT) is rare. HIT occurred twice.';
    const out = resolveAbbreviations(text, nerTokens(text), [spanOf(text, 'Heparin', 'chemical'), spanOf(text, 'thrombocytopenia', 'disease')]);
    expect(show(text, out)).toEqual(['Heparin/chemical', 'thrombocytopenia/disease', 'HIT/disease', 'HIT/disease']);
  });
});
