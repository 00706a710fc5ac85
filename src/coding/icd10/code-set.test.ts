import { describe, expect, it } from 'vitest';
import { getCode, searchCodes } from './code-lookup.ts';
import { loadCodeSet } from './versions.ts';

describe('bundled ICD-10-CM FY2021', () => {
  it('holds every code of the order file, with 7th-character codes expanded', () => {
    const codeSet = loadCodeSet();
    expect(codeSet.records.length).toBe(95358);
    expect(codeSet.records.filter((r) => r.billable).length).toBe(72621);
    for (const code of ['E11.9', 'I10', 'J18.9', 'S72.001A', 'T36.0X1A', 'S00.00XA']) expect(codeSet.record(code)?.billable).toBe(true);
  });

  it('describes a code with its chain, chapter, block, inherited notes and 7th character', () => {
    const code = getCode('s72.001a')!;
    expect(code.title).toBe('Fracture of unspecified part of neck of right femur, initial encounter for closed fracture');
    expect(code.parents.map((p) => p.code)).toEqual(['S72', 'S72.0', 'S72.00', 'S72.001']);
    expect(code.chapter.number).toBe(19);
    expect(code.block.id).toBe('S70-S79');
    expect(code.seventhCharacter).toEqual({ character: 'A', meaning: 'initial encounter for closed fracture' });
    expect(code.notes).toContainEqual({ kind: 'excludes1', text: 'traumatic amputation of hip and thigh (S78.-)', from: 'S72' });
    expect(code.notes).toContainEqual({ kind: 'excludes1', text: 'birth trauma (P10-P15)', from: 'chapter 19' });
    expect(getCode('T36.0X1A')!.parents.at(-1)!.code).toBe('T36.0X1');
    expect(getCode('C34.90')!.notes).toContainEqual({ kind: 'inclusionTerms', text: 'Lung cancer NOS', from: 'C34.90' });
    expect(getCode('Z99.999')).toBeUndefined();
  });

  it('searches by code prefix and by words typed so far', () => {
    expect(searchCodes('s72.00', { limit: 3 }).map((h) => h.code)).toEqual(['S72.00', 'S72.001', 'S72.001A']);
    expect(searchCodes('fract neck fem', { limit: 5 }).every((h) => h.code.startsWith('S72.0') && h.matched === 'title')).toBe(true);
    expect(searchCodes('chest pain', { limit: 10 }).map((h) => h.code)).toContain('R07.9');
    expect(searchCodes('lung cancer').map((h) => h.code)).toEqual(['C34.90']);
    expect(searchCodes('acetaminophen adverse').map((h) => h.code)).toContain('T39.1X5');
    expect(searchCodes('hypertension', { billableOnly: true }).every((h) => h.billable)).toBe(true);
    expect(searchCodes('   ')).toEqual([]);
  });

  it('answers typeahead queries in well under 5 ms at the median', () => {
    const queries = ['e11', 'diab', 'chest pa', 'fracture of fem', 'pneumonia', 'S72.0', 'hyperten', 'renal fail'];
    for (const q of queries) searchCodes(q); // build the index and warm up
    const times: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const q of queries) {
        const started = performance.now();
        searchCodes(q, { limit: 10 });
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    expect(times[times.length >> 1]!).toBeLessThan(5);
  });
});
