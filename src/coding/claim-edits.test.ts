import { describe, expect, it } from 'vitest';
import { loadCodeSet } from './icd10/versions.ts';
import { validateClaim, type ClaimEdit } from './claim-edits.ts';
import { codeSex } from './demographics.ts';

const codeSet = loadCodeSet('FY2021');
const edits = (codes: string[], patient = {}, encounter = {}) => validateClaim(codes, patient, encounter, codeSet);
const ids = (list: ClaimEdit[]) => list.map((e) => e.id);
const blocking = (list: ClaimEdit[]) => ids(list.filter((e) => e.severity === 'blocking'));
const warnings = (list: ClaimEdit[]) => ids(list.filter((e) => e.severity === 'warning'));

describe('claim edits on FY2021 ICD-10-CM', () => {
  it('blocks unknown codes, headers and codes missing their 7th character, naming what to choose', () => {
    const list = edits(['E11', 'S72.001', 'T14.90', 'Q99.99', 'E11.9', 'E11.9']);
    expect(blocking(list)).toEqual(['notBillable:E11', 'missingSeventhCharacter:S72.001', 'missingSeventhCharacter:T14.90', 'unknownCode:Q99.99', 'duplicateCode:E11.9']);
    expect(list.find((e) => e.id === 'notBillable:E11')!.message).toMatch(/E11\.00/);
    expect(list.find((e) => e.id === 'missingSeventhCharacter:T14.90')!.message).toMatch(/placeholder X, e\.g\. T14\.90XA/);
    expect(list.find((e) => e.id === 'missingSeventhCharacter:S72.001')!.message).toMatch(/A initial encounter for closed fracture/);
    expect(blocking(edits(['S72.001A', 'T14.90XA']))).toEqual([]);
  });

  it('blocks Excludes1 pairs once per pair, in claim order', () => {
    expect(blocking(edits(['R06.82', 'R06.02']))).toEqual(['excludes1:R06.02+R06.82']);
    expect(blocking(edits(['E10.9', 'E11.9']))).toEqual(['excludes1:E10.9+E11.9']);
  });

  it('blocks overlapping codes of one category or combination', () => {
    expect(blocking(edits(['I21.4', 'I21.9']))).toEqual(['overlap:I21.4+I21.9']);
    expect(blocking(edits(['N18.4', 'N18.31']))).toEqual(['overlap:N18.31+N18.4']);
    expect(blocking(edits(['I12.9', 'N18.4', 'I10']))).toEqual(['overlap:I10+I12.9']);
    expect(blocking(edits(['I50.22', 'I50.32']))).toEqual(['overlap:I50.22+I50.32']);
    // Biventricular failure asks for the left-ventricular type beside it; complications of diabetes stack.
    expect(blocking(edits(['I50.82', 'I50.22']))).toEqual([]);
    expect(blocking(edits(['E11.22', 'E11.65', 'N18.31']))).toEqual([]);
  });

  it('blocks an unspecified code beside a specified sibling, not codes of different sites', () => {
    expect(blocking(edits(['J44.1', 'J44.9']))).toEqual(['unspecifiedBesideSpecified:J44.1+J44.9']);
    expect(edits(['J44.1', 'J44.9']).find((e) => e.kind === 'unspecifiedBesideSpecified')!.message).toMatch(/remove J44\.9/);
    expect(blocking(edits(['E11.9', 'E11.22', 'N18.31']))).toEqual(['unspecifiedBesideSpecified:E11.22+E11.9']);
    expect(blocking(edits(['K21.9', 'K21.00']))).toEqual([]);
    expect(blocking(edits(['S72.001A', 'S82.101A']))).toEqual([]);
  });

  it("blocks sex-specific codes that do not fit the patient's sex", () => {
    expect(blocking(edits(['N40.0'], { sex: 'female' }))).toEqual(['sexMismatch:N40.0']);
    expect(blocking(edits(['C61'], { sex: 'female' }))).toEqual(['sexMismatch:C61']);
    expect(blocking(edits(['N80.0'], { sex: 'male' }))).toEqual(['sexMismatch:N80.0']);
    expect(blocking(edits(['O80', 'Z37.0'], { sex: 'male' }))).toEqual(['sexMismatch:O80', 'sexMismatch:Z37.0']);
    // A relative's prostate cancer is the patient's family history, whatever the patient's sex.
    expect(blocking(edits(['Z80.42', 'N40.0'], { sex: 'male' }))).toEqual([]);
    expect(blocking(edits(['Z80.42'], { sex: 'female' }))).toEqual([]);
    expect(blocking(edits(['N40.0'], { sex: 'unknown' }))).toEqual([]);
    expect(codeSex(codeSet, 'I10')).toBeUndefined();
  });

  it('blocks maternity and newborn codes that do not fit the age, and maternal with newborn codes', () => {
    const start = new Date('2026-03-01T10:00:00Z');
    expect(blocking(edits(['O80', 'Z37.0', 'Z3A.39'], { sex: 'female', birthDate: '2019-05-01' }, { start }))).toEqual([
      'ageMismatch:O80',
      'ageMismatch:Z37.0',
      'ageMismatch:Z3A.39',
    ]);
    expect(blocking(edits(['O80', 'Z37.0'], { sex: 'female', birthDate: '1996-05-01' }, { start }))).toEqual([]);
    expect(blocking(edits(['Z38.00'], { birthDate: '2026-02-27' }, { start }))).toEqual(['ageMismatch:Z38.00']);
    expect(blocking(edits(['Z38.00'], { birthDate: '2026-03-01' }, { start }))).toEqual([]);
    expect(blocking(edits(['O80', 'P07.30']))).toEqual(['maternalNewbornMix:O80+P07.30']);
  });

  it('warns about code-first and use-additional-code instructions left unmet, or met out of order', () => {
    expect(warnings(edits(['E11.9']))).toEqual(['instructionUnmet:E11.9@E11']);
    expect(warnings(edits(['E11.9', 'Z79.84']))).toEqual([]);
    // "if applicable" and tobacco instructions are reminders, not edits.
    expect(warnings(edits(['I21.4', 'I10']))).toEqual([]);
    expect(warnings(edits(['G63']))).toEqual(['instructionUnmet:G63@G63']);
    expect(warnings(edits(['G63', 'E85.4']))).toEqual(['instructionSequence:E85.4+G63@G63']);
    expect(warnings(edits(['E85.4', 'G63']))).toEqual([]);
  });

  it('warns about a symptom beside a diagnosis that routinely explains it, unless the diagnosis asks for it', () => {
    expect(warnings(edits(['J18.9', 'R50.9']))).toEqual(['symptomWithDiagnosis:J18.9+R50.9']);
    expect(warnings(edits(['I10', 'R50.9']))).toEqual([]);
    // BPH with lower urinary tract symptoms: "use additional code for associated symptoms" (R33.8).
    expect(warnings(edits(['N40.1', 'R33.8']))).toEqual([]);
    // An organism code names the cause; it explains no symptom, and drug resistance is coded only when documented.
    expect(warnings(edits(['N39.0', 'B96.20', 'R50.9']))).toEqual(['symptomWithDiagnosis:N39.0+R50.9']);
  });
});
