import { describe, expect, it } from 'vitest';
import { structureNote } from './structure.ts';

const labsOf = (text: string) => structureNote(text).labs;

describe('labs', () => {
  it('reads values, units and flags, coded with LOINC (MTS-Dialog validation text)', () => {
    const labs = labsOf('All labs within normal limits with the exception of sodium 133, creatinine 0.2, TSH 0.004, free T4 19.3.');
    expect(labs.map((l) => [l.name.text, l.loinc, l.value])).toEqual(
      expect.arrayContaining([
        ['sodium', '2951-2', 133],
        ['creatinine', '2160-0', 0.2],
      ]),
    );
    expect(labs.find((l) => l.name.text === 'TSH')).toMatchObject({ value: 0.004, display: expect.stringMatching(/^Thyrotropin/) });
  });

  it('reads units and H/L flags', () => {
    const [creatinine, hgb] = labsOf('Creatinine 1.4 mg/dL (H), Hgb 10.2 L.');
    expect(creatinine).toMatchObject({ value: 1.4, unit: 'mg/dL', flag: 'H' });
    expect(hgb).toMatchObject({ loinc: '718-7', value: 10.2, flag: 'L' });
    expect(labsOf('Hemoglobin A1c of 7.2%.')[0]).toMatchObject({ loinc: '4548-4', value: 7.2, unit: '%' });
    // NegEx kit sentence: a drug level is a lab result, not a medication.
    const note = structureNote('Her digoxin level is 0.6, which appears to be subtherapeutic.');
    expect(note.labs[0]).toMatchObject({ name: { text: 'digoxin' }, value: 0.6 });
    expect(note.medications).toEqual([]);
  });

  it('reads qualitative results (ACI-BENCH RESULTS lines) and skips orders without a result', () => {
    expect(labsOf('Creatinine level slightly elevated.')[0]).toMatchObject({ value: null, valueText: 'elevated', flag: 'H' });
    expect(labsOf('Labs: Creatinine is within normal limits.')[0]).toMatchObject({ flag: 'N' });
    expect(labsOf('We will check a TSH and a lipid panel.')).toEqual([]);
  });
});
