import { describe, expect, it } from 'vitest';
import { stem } from './stem.ts';

describe('stem', () => {
  it('strips plural endings only at plural strength', () => {
    expect(['fevers', 'denies', 'boxes', 'glasses', 'diagnosis', 'nervous', 'fractured'].map((w) => stem(w, 'plural'))).toEqual([
      'fever', 'deny', 'box', 'glass', 'diagnosis', 'nervous', 'fractured',
    ]);
  });

  it('brings inflections of one word together at inflection strength', () => {
    const keys = ['fractures', 'fractured', 'fracture'].map((w) => stem(w, 'inflection'));
    expect(new Set(keys).size).toBe(1);
    expect(stem('bleeding', 'inflection')).toBe('bleed');
  });

  it('leaves short words and words with digits alone', () => {
    expect(stem('pes', 'inflection')).toBe('pes');
    expect(stem('covid19s', 'plural')).toBe('covid19s');
  });
});
