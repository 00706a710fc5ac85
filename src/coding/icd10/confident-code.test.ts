import { describe, expect, it } from 'vitest';
import { confidentCode, confidentCoder } from './confident-code.ts';
import { loadCodeSet } from './versions.ts';

describe('confidentCode', () => {
  const codeSet = loadCodeSet();

  it('gives the one billable code whose name has exactly the mention words, in any order and case', () => {
    expect(confidentCode(codeSet, 'giant cell arteritis')).toBe('M31.6');
    expect(confidentCode(codeSet, 'Arteritis, giant cell')).toBe('M31.6');
    expect(confidentCode(codeSet, 'Mallory-Weiss syndrome')).toBe('K22.6');
    expect(confidentCode(codeSet, 'tremor')).toBe('R25.1');
  });

  it('gives nothing when the words name no code, several codes, or leave out words a code needs', () => {
    expect(confidentCode(codeSet, 'pseudogout')).toBeNull();
    expect(confidentCode(codeSet, 'hypertension')).toBeNull();
    // E11.9 is "Type 2 diabetes mellitus without complications": "without complications" is not in the mention.
    expect(confidentCode(codeSet, 'type 2 diabetes mellitus')).toBeNull();
    expect(confidentCode(codeSet, 'of the')).toBeNull();
  });

  it('serves the same answers through a coder bound to the code set', () => {
    const code = confidentCoder(codeSet);
    expect(['giant cell arteritis', 'pseudogout', 'tremor'].map(code)).toEqual(['M31.6', null, 'R25.1']);
  });

  it('keeps "with" and "without" apart', () => {
    expect(confidentCode(codeSet, 'giant cell arteritis with polymyalgia rheumatica')).toBe('M31.5');
    expect(confidentCode(codeSet, 'giant cell arteritis without polymyalgia rheumatica')).toBeNull();
  });
});
