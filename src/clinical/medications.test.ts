import { describe, expect, it } from 'vitest';
import { parseSig } from './sig.ts';
import { structureNote } from './structure.ts';

const medsOf = (text: string) => structureNote(text).medications;

describe('medications', () => {
  it('reads the full sig and keeps the conditional hold apart: metoprolol 25 mg PO BID, hold if HR < 60', () => {
    const text = 'metoprolol 25 mg PO BID, hold if HR < 60';
    const note = structureNote(text);
    expect(note.medications).toHaveLength(1);
    const m = note.medications[0]!;
    expect(m).toMatchObject({
      name: 'metoprolol',
      ingredient: 'metoprolol',
      rxcui: '6918',
      strength: { value: 25, unit: 'mg', text: '25 mg' },
      route: { code: 'PO', text: 'PO' },
      frequency: { code: 'BID', frequency: 2, period: 1, periodUnit: 'd' },
      asNeeded: false,
    });
    expect(m.conditions.map((c) => c.text)).toEqual(['hold if HR < 60']);
    // A conditional hold is an instruction, not a held medication, and "HR < 60" is not a measured heart rate.
    expect(m.status).not.toBe('held');
    expect(note.vitals).toEqual([]);
  });

  it('reads status from the verbs around the drug (ACI-BENCH plan lines)', () => {
    expect(medsOf('Increase Lasix to 80 mg daily.')[0]).toMatchObject({ ingredient: 'furosemide', rxcui: '4603', status: 'changed', strength: { value: 80 } });
    expect(medsOf('Continue lisinopril 20 mg daily.')[0]).toMatchObject({ status: 'continued', frequency: { code: 'QD' } });
    expect(medsOf('We will start him on Ultram 50 mg as needed every 6 hours for pain.')[0]).toMatchObject({
      ingredient: 'tramadol', status: 'started', asNeeded: true, frequency: { period: 6, periodUnit: 'h', code: 'Q6H' }, indication: { text: 'pain' },
    });
    expect(medsOf('Her lisinopril was discontinued.')[0]!.status).toBe('stopped');
  });

  it('finds several drugs in one sentence, each with its own sig (MTS-Dialog validation text)', () => {
    const meds = medsOf('The patient was given IV Norflex 60 mg, Zofran 4 mg, and morphine sulfate 4 mg and with that has significant improvement in her discomfort.');
    expect(meds.map((m) => [m.name, m.ingredient, m.strength?.value])).toEqual([
      ['Norflex', 'orphenadrine', 60],
      ['Zofran', 'ondansetron', 4],
      ['morphine sulfate', 'morphine', 4],
    ]);
  });

  it('does not read lab analytes or ordinary words as drugs without a dose', () => {
    expect(medsOf('Labs: sodium 133, potassium 4.1, creatinine 1.2.')).toEqual([]);
    expect(medsOf('Potassium chloride 20 mEq PO daily.')[0]).toMatchObject({ strength: { value: 20, unit: 'meq' }, route: { code: 'PO' } });
  });

  it('marks medications the patient denies taking as negated', () => {
    expect(medsOf('She denies taking aspirin.')[0]!.context.negated).toBe(true);
  });
});

describe('parseSig', () => {
  it('parses spelled-out frequencies, doses, routes and durations', () => {
    const sig = parseSig(' 2 puffs inhaled twice daily for 7 days', 100);
    expect(sig.dose).toMatchObject({ value: 2, unit: '{puff}', start: 101 });
    expect(sig.route).toMatchObject({ code: 'IPINHL' });
    expect(sig.frequency).toMatchObject({ code: 'BID', frequency: 2 });
    expect(sig.duration).toMatchObject({ value: 7, unit: 'd' });
    expect(parseSig(' 1 tab p.o. q.h.s.', 0).frequency).toMatchObject({ code: 'HS', when: ['HS'] });
    expect(parseSig(' 5/325 mg 1-2 tabs q4-6h prn pain', 0)).toMatchObject({ strength: { value: 5, unit: 'mg' }, frequency: { period: 4, periodUnit: 'h' }, asNeeded: true, indication: { text: 'pain' } });
  });
});
