import { describe, expect, it } from 'vitest';
import { applyDictationCommands } from './dictation.ts';
import { structureNote } from './structure.ts';

describe('dictation commands', () => {
  it('applies spoken punctuation, line breaks and parentheses', () => {
    const raw = 'chief complaint colon chest pain period new paragraph medications colon metoprolol 25 mg open parenthesis for blood pressure close parenthesis period';
    const { text } = applyDictationCommands(raw);
    expect(text).toBe('CHIEF COMPLAINT: chest pain.\n\nMEDICATIONS: metoprolol 25 mg (for blood pressure).');
  });

  it('drops the current phrase on "scratch that"', () => {
    const { text } = applyDictationCommands('no fever period patient has a cough scratch that patient denies cough period');
    expect(text).toBe('No fever. Patient denies cough.');
  });

  it('keeps "period" and "colon" where they are words', () => {
    const { text } = applyDictationCommands('pain for a period of two weeks period polyp in the sigmoid colon period');
    expect(text).toBe('Pain for a period of two weeks. Polyp in the sigmoid colon.');
  });

  it('maps every processed offset back into the raw transcript', () => {
    const raw = 'metoprolol 25 mg PO BID comma hold if HR less than 60 period next line no chest pain period';
    const { text, map } = applyDictationCommands(raw);
    const at = text.indexOf('chest pain');
    const start = map.toRawStart(at);
    const end = map.toRawEnd(at + 'chest pain'.length);
    expect(raw.slice(start, end)).toBe('chest pain');
    // An inserted comma maps onto the spoken word.
    const comma = text.indexOf(',');
    expect(raw.slice(map.toRawStart(comma), map.toRawEnd(comma + 1))).toBe('comma');
  });

  it('structures a dictated note with offsets into the raw transcript', () => {
    const raw = 'assessment colon no chest pain but reports dyspnea period plan colon start lisinopril 10 mg daily period';
    const note = structureNote(raw, { source: 'dictation' });
    expect(note.inputForm).toBe('dictation');
    expect(note.normalizedText).toBe('ASSESSMENT: no chest pain but reports dyspnea. PLAN: start lisinopril 10 mg daily.');
    const chestPain = note.problems.find((p) => p.text === 'chest pain')!;
    expect(raw.slice(chestPain.start, chestPain.end)).toBe('chest pain');
    expect(chestPain.context.negated).toBe(true);
    const lisinopril = note.medications[0]!;
    expect(raw.slice(lisinopril.start, lisinopril.end)).toBe(lisinopril.text);
    expect(lisinopril).toMatchObject({ name: 'lisinopril', status: 'started', strength: { value: 10, text: '10 mg' } });
    expect(note.sections.map((s) => s.type)).toEqual(['assessment', 'plan']);
    expect(raw.slice(note.sections[1]!.header!.start, note.sections[1]!.header!.end)).toBe(note.sections[1]!.header!.text);
  });
});
