import { describe, expect, it } from 'vitest';
import { structureNote } from '../notes/structuring/structure.ts';
import { conceptMentions, deniesConcept, mentionsOf, mentionsWithin } from './concepts.ts';
import { HEADLINE_START as S, HEADLINE_STOP as E, headlineSpans, mergeHighlights } from './highlight.ts';

describe('headlineSpans', () => {
  it('turns marked headline text into offsets of the original', () => {
    const text = 'Diabetic patient,  HbA1c 7.2%.\nDiabetes follow-up.';
    const marked = `${S}Diabetic${E} patient,  ${S}HbA1c${E} 7.2%.\n${S}Diabetes${E} follow-up.`;
    expect(headlineSpans(text, marked).map((s) => text.slice(s.start, s.end))).toEqual(['Diabetic', 'HbA1c', 'Diabetes']);
  });

  it('returns nothing rather than wrong offsets when the rendering differs from the text', () => {
    expect(headlineSpans('a b', `${S}a${E}  b`)).toEqual([]);
  });
});

describe('concept highlights and negation', () => {
  const query = (q: string) => new Set(conceptMentions(structureNote(q)).flatMap((m) => m.keys));

  it('marks an abbreviation for the spelled-out query concept and a synonym for the abbreviation', () => {
    const text = 'PAST MEDICAL HISTORY: DVT in 2019, treated with warfarin.';
    const mentions = mentionsOf(query('deep vein thrombosis'), conceptMentions(structureNote(text)));
    expect(mentions.map((m) => text.slice(m.start, m.end))).toEqual(['DVT']);
    const reverse = 'Assessment: deep vein thrombosis of the left leg.';
    // The mention spans the condition with its own site (issue 16).
    expect(mentionsOf(query('DVT'), conceptMentions(structureNote(reverse))).map((m) => reverse.slice(m.start, m.end))).toEqual([
      'deep vein thrombosis of the left leg',
    ]);
  });

  it('flags a passage that only denies the concept, not one that also affirms it', () => {
    const keys = query('history of DVT?');
    const denied = 'No history of DVT or pulmonary embolism.';
    expect(deniesConcept(mentionsOf(keys, conceptMentions(structureNote(denied))))).toBe(true);
    const mixed = 'No DVT in 2019. Now DVT of the left leg confirmed.';
    expect(deniesConcept(mentionsOf(keys, conceptMentions(structureNote(mixed))))).toBe(false);
    expect(deniesConcept([])).toBe(false);
  });

  it('re-bases mentions to a passage and merges them with term matches without marking twice', () => {
    const note = 'CC: leg pain.\nPMH: DVT. HTN.';
    const passage = { start: 14, end: note.length };
    const inside = mentionsWithin(conceptMentions(structureNote(note)), passage.start, passage.end);
    const text = note.slice(passage.start, passage.end);
    expect(inside.map((m) => text.slice(m.start, m.end))).toEqual(['DVT', 'HTN']);
    const merged = mergeHighlights(text, [{ start: 5, end: 8 }], inside);
    expect(merged.map((h) => [h.text, h.match])).toEqual([
      ['DVT', 'term'],
      ['HTN', 'concept'],
    ]);
    expect(merged[0]!.concept).toBeDefined();
  });
});
