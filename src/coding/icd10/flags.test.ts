import { describe, expect, it } from 'vitest';
import { codeReferences, inRange } from './code-ranges.ts';
import { distinguishingText, excludes1Flags, instructionFlags, specificChoices } from './flags.ts';
import { historyCodeFor } from './history-codes.ts';
import { loadCodeSet } from './versions.ts';

const codeSet = loadCodeSet();

describe('code references in instructional notes', () => {
  it('reads single codes, code families and ranges', () => {
    expect(codeReferences('physeal fracture of upper end of femur (S79.0-)')).toEqual([{ first: 'S79.0', last: 'S79.0' }]);
    expect(codeReferences('malignant neoplasm of breast (C50.-)')).toEqual([{ first: 'C50', last: 'C50' }]);
    expect(codeReferences('Conditions classifiable to C00-C14, C40-C49, C69-C79')).toEqual([
      { first: 'C00', last: 'C14' },
      { first: 'C40', last: 'C49' },
      { first: 'C69', last: 'C79' },
    ]);
    expect(inRange('S79.001A', { first: 'S79.0', last: 'S79.0' })).toBe(true);
    expect(inRange('C7A.00', { first: 'C69', last: 'C79' })).toBe(false);
    expect(inRange('C56.9', { first: 'C51', last: 'C63' })).toBe(true);
  });
});

describe('needs specificity', () => {
  it('names what tells a header code’s billable children apart', () => {
    expect(distinguishingText('Fracture of unspecified part of neck of left femur', 'Fracture of unspecified part of neck of left femur, initial encounter for closed fracture')).toBe(
      'initial encounter for closed fracture',
    );
    expect(distinguishingText('Pain in knee', 'Pain in right knee')).toBe('right');
  });

  it('offers laterality children first when the note names the side', () => {
    const choices = specificChoices(codeSet, 'M25.56', new Set(['left', 'knee', 'pain']), () => 0);
    expect(choices[0]).toMatchObject({ code: 'M25.562', distinguishing: 'left', axes: ['laterality'] });
    expect(choices.map((c) => c.code)).toEqual(['M25.562', 'M25.561', 'M25.569']);
  });

  it('offers 7th-character episodes in release order (initial encounter first) when the note does not say', () => {
    const choices = specificChoices(codeSet, 'S72.002', new Set(['fractur', 'femur']), () => 0, 3);
    expect(choices.map((c) => c.code)).toEqual(['S72.002A', 'S72.002B', 'S72.002C']);
    expect(choices[0]!.axes).toEqual(['episode']);
    expect(specificChoices(codeSet, 'S72.002A', new Set(), () => 0)).toEqual([]);
  });
});

describe('Excludes1 conflicts', () => {
  it('reports a pair the Tabular List forbids together, on both codes', () => {
    const flags = excludes1Flags(codeSet, ['E10.9', 'E11.9', 'I10']);
    expect(flags.get('E11.9')).toContainEqual(expect.objectContaining({ kind: 'excludes1Conflict', otherCode: 'E10.9', note: 'type 1 diabetes mellitus (E10.-)', noteFrom: 'E11' }));
    expect(flags.get('E10.9')).toContainEqual(expect.objectContaining({ kind: 'excludes1Conflict', otherCode: 'E11.9' }));
    expect(flags.has('I10')).toBe(false);
  });

  it('does not flag Excludes2 pairs, which may be coded together', () => {
    // S72 has "Excludes2: fracture of lower leg and ankle (S82.-)".
    expect(excludes1Flags(codeSet, ['S72.001A', 'S82.001A']).size).toBe(0);
  });
});

describe('code-first and use-additional-code reminders', () => {
  it('joins list notes and names the listed codes that satisfy them', () => {
    const flags = instructionFlags(codeSet, 'E11.9', ['E11.9', 'Z79.4']);
    expect(flags).toContainEqual(
      expect.objectContaining({
        kind: 'useAdditionalCode',
        note: 'code to identify control using: insulin (Z79.4); oral antidiabetic drugs (Z79.84); oral hypoglycemic drugs (Z79.84)',
        satisfiedBy: ['Z79.4'],
      }),
    );
    expect(instructionFlags(codeSet, 'F02.80', [])).toContainEqual(expect.objectContaining({ kind: 'codeFirst', noteFrom: 'F02' }));
  });
});

describe('history codes where the classification maps them', () => {
  it('maps past conditions to personal-history codes and relatives’ conditions to family-history codes', () => {
    const history = (code: string, kind: 'personal' | 'family') => {
      const found = historyCodeFor(codeSet, code, kind);
      return found && { code: found.record.code, specific: found.specific };
    };
    expect(history('C50.911', 'personal')).toEqual({ code: 'Z85.3', specific: true });
    expect(history('I26.99', 'personal')).toEqual({ code: 'Z86.711', specific: true });
    expect(history('N20.0', 'personal')).toEqual({ code: 'Z87.442', specific: true });
    expect(history('C50.911', 'family')).toEqual({ code: 'Z80.3', specific: true });
    // Chapter-wide history codes only: no child names the condition, or the code covers a whole chapter.
    expect(history('I21.9', 'personal')).toEqual({ code: 'Z86.7', specific: false });
    expect(history('L40.0', 'personal')).toEqual({ code: 'Z87.2', specific: false });
  });

  it('has none for codes the classification does not map', () => {
    expect(historyCodeFor(codeSet, 'R52', 'personal')).toBeUndefined();
    expect(historyCodeFor(codeSet, 'Z85.3', 'personal')).toBeUndefined();
  });
});
