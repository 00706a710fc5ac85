import { describe, expect, it } from 'vitest';
import { splitSentences, type SentenceLayout } from './sentences.ts';
import { tokenize } from './tokens.ts';

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

  it('ends a sentence at every line break, and at a semicolon only before a capital, in one-per-line text', () => {
    const text = 'Chest pain radiating\nto the left arm; no fever; Hb 13.7. Seen by Dr. Lee\nat night';
    const split = (layout: SentenceLayout) => splitSentences(text, tokenize(text), layout).map((s) => text.slice(s.start, s.end));
    expect(split('note')).toEqual(['Chest pain radiating\nto the left arm;', 'no fever;', 'Hb 13.7.', 'Seen by Dr. Lee\nat night']);
    expect(split('one-per-line')).toEqual(['Chest pain radiating', 'to the left arm; no fever;', 'Hb 13.7.', 'Seen by Dr. Lee', 'at night']);
  });
});
