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

  it('gives short names, human units, adult reference ranges and flags: creatinine 1.7 and troponin 0.21 are high', () => {
    const [creatinine, troponin, egfr, potassium] = labsOf('Creatinine 1.7, troponin 0.21. eGFR 45 mL/min/1.73m2. Potassium 6.8 mmol/L.');
    expect(creatinine).toMatchObject({ shortName: 'Creatinine', interpretation: 'high', referenceRange: { low: 0.6, high: 1.3, unit: 'mg/dL', text: '0.6–1.3 mg/dL' } });
    expect(troponin).toMatchObject({ shortName: 'Troponin I', interpretation: 'high', referenceRange: { high: 0.04, unit: 'ng/mL' } });
    expect(egfr).toMatchObject({ shortName: 'eGFR', unit: 'mL/min/{1.73_m2}', unitDisplay: 'mL/min/1.73 m²', interpretation: 'low' });
    expect(potassium).toMatchObject({ interpretation: 'critical-high', unitDisplay: 'mmol/L' });
    expect(labsOf('Sodium 139 mEq/L, glucose 212 mg/dL.').map((l) => l.interpretation)).toEqual(['normal', 'high']);
  });

  it('leaves a value in another unit uninterpreted rather than flag it wrongly', () => {
    // 150 µmol/L of creatinine, or a unitless 150, is not 150 mg/dL.
    expect(labsOf('Creatinine 150 umol/L.')[0]).toMatchObject({ value: 150, unit: 'umol/L' });
    expect(labsOf('Creatinine 150 umol/L.')[0]!.interpretation).toBeUndefined();
    expect(labsOf('Creatinine 150.')[0]!.referenceRange).toBeUndefined();
  });
  it('reads results reported as a course or a grade, and tests still pending: "peaked at 2.1", "urine ketones large", "HCV RNA"', () => {
    const labs = labsOf('Creatinine peaked at 2.1, now 1.0. Lactate down to 2.1. Urine ketones large. Urinalysis pending, HCV antibody positive, HBV DNA undetectable, PTH 540.');
    expect(labs.map((l) => [l.name.text, l.value ?? l.valueText])).toEqual([
      ['Creatinine', 2.1],
      ['Lactate', 2.1],
      ['Urine ketones', 'large'],
      ['HCV antibody', 'positive'],
      ['HBV DNA', 'undetectable'],
      ['PTH', 540],
    ]);
  });
  it('keeps tests named without a result apart, as orders: "to be excluded with tTG-IgA", "Cortisol sent", "A1c yearly"', () => {
    const note = structureNote('Celiac disease to be excluded with tTG-IgA. Cortisol sent. A1c yearly. No need to check TSH. Creatinine 1.4.');
    expect(note.labs.map((l) => l.name.text)).toEqual(['Creatinine']);
    expect(note.labOrders.map((o) => [o.name.text, o.cue.text, o.loinc])).toEqual([
      ['tTG-IgA', 'excluded with', '31017-7'],
      ['Cortisol', 'sent', '2143-6'],
      ['A1c', 'yearly', '4548-4'],
    ]);
  });
});
