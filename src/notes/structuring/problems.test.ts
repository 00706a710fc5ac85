import { describe, expect, it } from 'vitest';
import { assertionOf } from './context.ts';
import { problemCategory } from './problems.ts';
import { structureNote } from './structure.ts';

const problemsOf = (text: string) => structureNote(text).problems;

describe('problems', () => {
  it('reads everyday abbreviations in their clinical sense: CAD is coronary artery disease, not cold agglutinin disease', () => {
    const problems = problemsOf('PMH: CAD, CKD, ESRD on HD, GERD, HFrEF, T2DM, morbid obesity, severe aortic stenosis.');
    expect(problems.map((p) => [p.text, p.candidateCodes[0]])).toEqual([
      ['CAD', 'I25.10'], ['CKD', 'N18.9'], ['ESRD', 'N18.6'], ['GERD', 'K21.9'], ['HFrEF', 'I50.20'], ['T2DM', 'E11.9'],
      ['morbid obesity', 'E66.01'], ['severe aortic stenosis', 'I35.0'],
    ]);
    // Abbreviations that are no ordinary word are read in any case; "cad" in lower case is not coronary disease.
    expect(problemsOf('pmh esrd on hd, gerd. He is a cad.').map((p) => [p.text, p.candidateCodes[0]])).toEqual([['esrd', 'N18.6'], ['gerd', 'K21.9']]);
  });

  it('knows the everyday names the tabular spells only inside a paired title ("Hypo-osmolality and hyponatremia")', () => {
    const note = structureNote('Na 128. Hyponatremia, likely SIADH. Hypernatremia resolved. No hypoxia at rest. Hypoalbuminemia.');
    const codes = Object.fromEntries(note.problems.map((p) => [p.text.toLowerCase(), p.candidateCodes]));
    expect(codes).toMatchObject({ hyponatremia: ['E87.1'], hypernatremia: ['E87.0'], hypoxia: ['R09.02'], hypoalbuminemia: ['E88.09'] });
    expect(assertionOf(note.problems.find((p) => p.text === 'hypoxia')!.context)).toBe('absent');
  });

  it('links mentions to ICD-10-CM candidate codes (ACI-BENCH sentence)', () => {
    const text = 'Brian White is a 58-year-old male with a past medical history significant for congestive heart failure and hypertension.';
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.text, p.candidateCodes[0]])).toEqual([
      ['congestive heart failure', 'I50.9'],
      ['hypertension', 'I10'],
    ]);
    // Chronic conditions under past history are still the patient's (issue 16): present, not historical.
    expect(problems.every((p) => !p.context.historical && p.category === 'diagnosis')).toBe(true);
    for (const p of problems) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('negates every finding in a denial list', () => {
    const text = 'He denies weight gain, swelling in the lower extremities, fevers, chills, dizziness, nausea, vomiting, and diarrhea.';
    const problems = problemsOf(text);
    expect(problems.map((p) => p.text)).toEqual(expect.arrayContaining(['fevers', 'chills', 'dizziness', 'nausea', 'vomiting', 'diarrhea']));
    expect(problems.every((p) => p.context.negated)).toBe(true);
  });

  it('expands clinical abbreviations, and ambiguous ones only in capitals', () => {
    const [htn, dm, cad] = problemsOf('PMH: HTN, DM2, CAD.');
    expect(htn).toMatchObject({ text: 'HTN', candidateCodes: ['I10'], matchedBy: expect.any(String) });
    expect(dm!.candidateCodes).toContain('E11.9');
    expect(cad!.candidateCodes).toContain('I25.10');
    // "all" is only acute lymphoblastic leukemia when written ALL.
    expect(problemsOf('She has all of her medications with her.')).toEqual([]);
  });

  it('uses the Neoplasm Table phrasings', () => {
    expect(problemsOf('Colon cancer in 2015.')[0]).toMatchObject({ text: 'Colon cancer', candidateCodes: ['C18.9'] });
    expect(problemsOf('Carcinoma of the breast.')[0]!.candidateCodes).toEqual(['C50.9']);
  });

  it('categorises by ICD-10-CM chapter', () => {
    expect(problemCategory('R07.9')).toBe('symptom');
    expect(problemCategory('R79.89')).toBe('finding');
    expect(problemCategory('I10')).toBe('diagnosis');
    expect(problemCategory('W19')).toBe('external_cause');
  });

  it('reads ECG and imaging wording as findings, not diseases: "ST depression in V4-V6", "ground-glass opacity"', () => {
    expect(problemsOf('ECG showed ST depression in V4-V6 and ST elevation in aVR.')).toEqual([]);
    expect(problemsOf('CT chest: ground-glass opacity in the right lower lobe.')).toEqual([]);
    expect(problemsOf('Depression and anxiety, stable.').map((p) => p.text)).toEqual(['Depression', 'anxiety']);
  });

  it('reads a vaccine given as a medication, not the disease it is named after', () => {
    const note = structureNote('Tetanus toxoid given. Influenza vaccine administered today.');
    expect(note.problems).toEqual([]);
    expect(note.medications.map((m) => m.name)).toEqual(['Tetanus toxoid', 'Influenza vaccine']);
  });

  it('keeps an allergy\'s reaction out of the problems: "Allergic to penicillin (hives)"', () => {
    expect(problemsOf('Allergic to penicillin (hives). Hives on both arms today.').map((p) => p.text)).toEqual(['Hives']);
  });

  it('reads "not present" and "not suspected" as negations of the finding before them only', () => {
    const text = 'cholecystitis not present, choledocholithiasis unlikely. CT chest without nodules; invasive fungal infection not suspected.';
    expect(problemsOf(text).map((p) => [p.text, assertionOf(p.context)])).toEqual([
      ['cholecystitis', 'absent'],
      ['choledocholithiasis', 'possible'],
      ['invasive fungal infection', 'absent'],
    ]);
  });

  it('reads a specialty, a test, a vaccine and ordinary words as no condition: "Infectious disease clinic", "Malaria smear", "reduce dose"', () => {
    expect(problemsOf('Infectious disease clinic: HIV infection. Reduce dose to 88 mcg. Mask fit good. No chronic illnesses.').map((p) => p.text)).toEqual([
      'HIV infection',
    ]);
    // A test or a vaccine named after a disease is that test or vaccine; a screening still asks about the disease.
    expect(problemsOf('Malaria smear negative. Given hepatitis A vaccine. Psoriatic arthritis screening negative.').map((p) => [p.text, assertionOf(p.context)])).toEqual([
      ['Psoriatic arthritis', 'absent'],
    ]);
  });

  it('reads "respiratory depression" as a breathing problem and "opioid overdose" as a condition, neither a mood disorder nor a drug', () => {
    const note = structureNote('Dx: opioid overdose. Monitor for respiratory depression.');
    expect(note.problems.map((p) => [p.text, p.candidateCodes[0]])).toEqual([
      ['opioid overdose', 'T40.2X1A'],
      ['respiratory depression', 'R06.89'],
    ]);
    expect(note.medications).toEqual([]);
  });

  it('dates a repair: "Left inguinal hernia repaired in 2015" is historical', () => {
    expect(problemsOf('Left inguinal hernia repaired in 2015.').map((p) => assertionOf(p.context))).toEqual(['historical']);
  });

  it('reads "Pulmonary embolism unlikely" as possible, not absent', () => {
    expect(problemsOf('Pulmonary embolism unlikely.')[0]!.context).toMatchObject({ assertion: 'possible', uncertain: true, negated: false });
    expect(problemsOf('Community-acquired pneumonia vs acute bronchitis.').map((p) => p.context.assertion)).toEqual(['possible', 'possible']);
  });

  it('spans the condition with its own modifiers and without its cues', () => {
    const spans = problemsOf('No history of chronic kidney disease stage 3b. Cellulitis of the right forearm improving. Bilateral leg swelling and left lower lobe pneumonia. Major depressive disorder, recurrent, moderate.');
    expect(spans.map((p) => [p.text, p.context.assertion])).toEqual([
      ['chronic kidney disease stage 3b', 'absent'],
      // "3b." ends the sentence: the negation stops there.
      ['Cellulitis of the right forearm', 'present'],
      ['Bilateral leg swelling', 'present'],
      ['left lower lobe pneumonia', 'present'],
      // Qualifiers after a comma are not part of the name (the coder reads them from the clause).
      ['Major depressive disorder', 'present'],
    ]);
  });

  it('keeps severity and degree in the span, course words out: "mild arthralgias", "worsening dyspnea", "third-degree AV block"', () => {
    const text = 'Mild arthralgias. Worsening dyspnea. Progressive dyspnea on exertion. ECG: third-degree AV block. Return for intractable vomiting.';
    expect(problemsOf(text).map((p) => p.text)).toEqual(['Mild arthralgias', 'dyspnea', 'dyspnea on exertion', 'third-degree AV block', 'intractable vomiting']);
  });

  it('reads a chronic condition under past history as present and an episode that is over as historical', () => {
    const note = structureNote('PMH: CKD stage 3b, HTN, DM2, MI in 2019 s/p stent. Creatinine 1.9. Hold lisinopril for hyperkalemia.');
    expect(note.problems.map((p) => [p.text, assertionOf(p.context)])).toEqual([
      ['CKD stage 3b', 'present'],
      ['HTN', 'present'],
      ['DM2', 'present'],
      ['MI', 'historical'],
      // An inline "PMH:" label speaks for its own sentence only.
      ['hyperkalemia', 'present'],
    ]);
    // An inline label keeps its list over several sentences until the note moves on to values or instructions.
    expect(problemsOf('FAMILY HISTORY: Positive for diabetes. Positive for heart disease.').map((p) => assertionOf(p.context))).toEqual(['family', 'family']);
    expect(problemsOf('PAST MEDICAL HISTORY: Hypertension. Pneumonia.').map((p) => assertionOf(p.context))).toEqual(['present', 'historical']);
    expect(problemsOf('Stopped glyburide (hypoglycemia twice last year). Stopped glipizide after hypoglycemia last month.').map((p) => assertionOf(p.context))).toEqual([
      'historical',
      'historical',
    ]);
    expect(problemsOf('h/o Parkinson disease on carbidopa-levodopa. h/o Graves disease treated with radioactive iodine in 2015.').map((p) => [p.text, assertionOf(p.context)])).toEqual([
      ['Parkinson disease', 'present'],
      ['Graves disease', 'historical'],
    ]);
  });
});
