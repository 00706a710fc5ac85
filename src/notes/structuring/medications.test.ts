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

  it('keeps a course to be completed active: "Complete doxycycline course"; a completed one is completed', () => {
    expect(medsOf('Complete doxycycline course, 100 mg BID for 4 more days.')[0]).toMatchObject({ name: 'doxycycline', status: 'active' });
    expect(medsOf('Complete the course of amoxicillin.')[0]).toMatchObject({ name: 'amoxicillin', status: 'active' });
    expect(medsOf('He completed a course of amoxicillin last month.')[0]).toMatchObject({ status: 'completed' });
    expect(medsOf('Hypertension on amlodipine 5 mg daily.')[0]).toMatchObject({ name: 'amlodipine', status: 'active' });
    expect(medsOf('Tetanus toxoid given.')[0]).toMatchObject({ name: 'Tetanus toxoid', status: 'started' });
  });

  it('reads devices as no drug unless one is named: "albuterol inhaler" is albuterol, "inhaler", "nebulizer", "spacer" nothing', () => {
    expect(medsOf('Continue albuterol inhaler 2 puffs q4h prn.').map((m) => [m.name, m.ingredient])).toEqual([['albuterol', 'albuterol']]);
    expect(medsOf('Uses an inhaler and a nebulizer with a spacer. Inhaler technique reviewed.')).toEqual([]);
  });

  it('reads a drug that begins a condition name as that condition: "Heparin-induced thrombocytopenia", "digoxin toxicity"', () => {
    const note = structureNote('Heparin-induced thrombocytopenia suspected; heparin stopped. Digoxin toxicity. Started argatroban infusion.');
    expect(note.medications.map((m) => [m.name, m.status])).toEqual([['heparin', 'stopped'], ['argatroban', 'started']]);
    expect(note.problems.map((p) => [p.text, p.candidateCodes[0]])).toEqual([
      ['Heparin-induced thrombocytopenia', 'D75.82'],
      ['Digoxin toxicity', expect.stringMatching(/^T46\.0X/)],
    ]);
  });

  it('reads lab results as labs, never medications: "glucose 212 mg", "potassium", "calcium"', () => {
    const note = structureNote('Labs: glucose 212 mg/dL, potassium 3.2, calcium 9.1. Fingerstick glucose 212 mg.');
    expect(note.medications).toEqual([]);
    expect(note.labs.map((l) => [l.name.text, l.value])).toEqual([['glucose', 212], ['potassium', 3.2], ['calcium', 9.1], ['glucose', 212]]);
    // A dose with a route or frequency is still a supplement.
    expect(medsOf('Potassium chloride 20 mEq PO daily; calcium carbonate 500 mg twice daily.').map((m) => m.ingredient)).toEqual(['potassium chloride', 'calcium carbonate']);
  });

  it('gives a route written before the drug to that drug: "nebulized salbutamol and IV methylprednisolone"', () => {
    const meds = medsOf('Treated with nebulized salbutamol and IV methylprednisolone 40 mg. Metoprolol 25 mg PO BID.');
    expect(meds.map((m) => [m.name, m.route?.code])).toEqual([['salbutamol', 'IPINHL'], ['methylprednisolone', 'IV'], ['Metoprolol', 'PO']]);
  });

  it('reads a hyphenated or slashed combination as one medication with every ingredient', () => {
    const [pipTazo, bupNal] = medsOf('On piperacillin-tazobactam 4.5 g IV q6h and buprenorphine/naloxone 8-2 mg SL daily.');
    expect(pipTazo).toMatchObject({ name: 'piperacillin-tazobactam', ingredient: 'piperacillin / tazobactam', route: { code: 'IV' } });
    // Coded by RxNorm's multiple-ingredient concept for exactly these ingredients.
    expect(pipTazo!.rxnorm).toEqual({ code: '74169', display: 'piperacillin / tazobactam' });
    expect(pipTazo!.rxcuis).toHaveLength(2);
    expect(bupNal).toMatchObject({ name: 'buprenorphine/naloxone', ingredient: 'buprenorphine / naloxone' });
  });

  it('codes every drug the shared lists code, with its ingredient: aspirin 1191 (Synthea seeds), brands to their ingredient', () => {
    const meds = medsOf('Aspirin 81 mg daily, Ecotrin 325 mg, Lasix 40 mg daily.');
    expect(meds.map((m) => [m.name, m.ingredient, m.rxnorm?.code])).toEqual([
      ['Aspirin', 'aspirin', '1191'],
      ['Ecotrin', 'aspirin', '1191'],
      ['Lasix', 'furosemide', '4603'],
    ]);
    // Atorvastatin and albuterol start with A, which the shared RxNorm extract lacks: no code rather than a guess.
    expect(medsOf('Atorvastatin 40 mg nightly.')[0]).toMatchObject({ ingredient: 'atorvastatin', rxnorm: null });
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

describe('medication status and sense', () => {
  it('carries a verb over its list and reads a drug written with its sig as taken: "Given epinephrine 0.5 mg IM, diphenhydramine 50 mg IV"', () => {
    expect(medsOf('Given epinephrine 0.5 mg IM, diphenhydramine 50 mg IV, methylprednisolone 125 mg IV.').map((m) => [m.name, m.status])).toEqual([
      ['epinephrine', 'started'],
      ['diphenhydramine', 'started'],
      ['methylprednisolone', 'started'],
    ]);
    expect(medsOf('Tamsulosin 0.4 mg daily for stone passage.')[0]).toMatchObject({ status: 'active' });
    expect(medsOf('Avoid aspirin.')[0]).toMatchObject({ status: 'unknown' });
  });

  it('codes a combination product with its RxNorm multiple-ingredient concept: "buprenorphine-naloxone" is 352364', () => {
    expect(medsOf('On buprenorphine-naloxone 16 mg daily and carbidopa-levodopa 25/100 TID.').map((m) => [m.name, m.rxcuis, m.rxnorm])).toEqual([
      ['buprenorphine-naloxone', ['1819', '7242'], { code: '352364', display: 'buprenorphine / naloxone' }],
      ['carbidopa-levodopa', ['2019', '6375'], { code: '103990', display: 'carbidopa / levodopa' }],
    ]);
  });

  it('names the drug without its form, coded: "Naloxone nasal spray refilled" is naloxone; "epinephrine 0.5 mg IM" is IM', () => {
    expect(medsOf('Naloxone nasal spray refilled.').map((m) => [m.name, m.rxnorm?.code, m.route?.code])).toEqual([['Naloxone', '7242', 'NASAL']]);
    // A name that is also a lab analyte stays a drug when its form is written.
    expect(medsOf('Uses nicotine patch.').map((m) => [m.name, m.status])).toEqual([['nicotine', 'active']]);
    expect(medsOf('Given epinephrine 0.5 mg IM.')[0]!.route).toMatchObject({ code: 'IM' });
  });

  it('reads an inline ALLERGIES label for its own sentence only: "Carries epinephrine auto-injector 0.15 mg" after it is a medication', () => {
    const note = structureNote('Allergies: peanut (hives), egg (vomiting). Carries epinephrine auto-injector 0.15 mg.');
    expect(note.allergies.map((a) => a.substance?.text)).toEqual(['peanut', 'egg']);
    expect(note.medications.map((m) => [m.name, m.strength?.text])).toEqual([['epinephrine', '0.15 mg']]);
  });

  it('reads a drug a screen tests for as that lab, and an analyte right after a verb of giving as the drug', () => {
    const note = structureNote('Urine drug screen negative for fentanyl. Start insulin infusion and IV normal saline.');
    expect(note.labs.map((l) => [l.name.text, l.valueText])).toEqual([['fentanyl', 'negative']]);
    expect(note.medications.map((m) => [m.name, m.status])).toEqual([['insulin', 'started'], ['normal saline', 'started']]);
  });

  it('reads a planned or considered drug as intended: "Will start amitriptyline … if", "Consider methotrexate"', () => {
    const meds = medsOf('Will start amitriptyline 25 mg nightly if frequency rises. Consider methotrexate if BSA increases. Started lisinopril 10 mg.');
    expect(meds.map((m) => [m.name, m.status])).toEqual([['amitriptyline', 'intended'], ['methotrexate', 'intended'], ['lisinopril', 'started']]);
  });

  it('reads "opioid use disorder" as a condition, not a medication', () => {
    const note = structureNote('Severe opioid use disorder in early remission on buprenorphine-naloxone 16 mg daily.');
    expect(note.medications.map((m) => m.name)).toEqual(['buprenorphine-naloxone']);
    expect(note.problems.map((p) => p.text)).toEqual(['Severe opioid use disorder']);
  });
});
