import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../src/config/paths.ts';
import { locateCondition, predictNegexRow, readNegexKit } from './negex.ts';

describe('NegEx kit evaluation', () => {
  it('reads the kit and finds each condition where the kit wrote it in capitals', () => {
    const rows = readNegexKit(path.join(sharedDataDir(), 'eval', 'negex', 'rsAnnotations-part1.txt'));
    expect(rows.length).toBe(1188);
    expect(rows[0]).toMatchObject({ condition: 'edema', negation: 'Negated', temporality: 'Recent', experiencer: 'Patient' });
    expect(predictNegexRow(rows[0]!)).toEqual({ negated: true, temporality: 'Recent', experiencer: 'Patient', located: true });
  });

  it('skips a capitalised header that repeats the condition', () => {
    const sentence = 'ALLERGIES:  He has no known ALLERGIES.';
    expect(locateCondition(sentence, 'allergies')).toEqual({ start: 28, end: 37 });
    expect(locateCondition('Some   CHEST PAIN today', 'chest pain')).toEqual({ start: 7, end: 17 });
  });
});
