import { describe, expect, it } from 'vitest';
import type { StructuredNote } from '../../../notes/structuring/schema.ts';
import { structureNote } from '../../../notes/structuring/structure.ts';
import { suggestCodes } from '../suggest.ts';
import type { CodingSetting } from './setting.ts';

const proposed = (text: string, setting: CodingSetting = 'outpatient') =>
  suggestCodes({ text }, { top: 30, setting }).filter((s) => s.proposed).map((s) => s.code);

describe('guideline coding: conflicts, integral signs and negative tests', () => {
  it('drops the code whose Excludes1 names a coded condition (pneumonia NOS beside aspiration pneumonia)', () => {
    const codes = proposed('Discharge diagnoses: pneumonia; aspiration pneumonia after a choking episode.', 'inpatient');
    expect(codes).toContain('J69.0');
    expect(codes).not.toContain('J18.9');
  });

  it('reports the "with" code of a category, not its "without" sibling', () => {
    const codes = proposed('Assessment: enlarged prostate. Benign prostatic hyperplasia with lower urinary tract symptoms.');
    expect(codes).toContain('N40.1');
    expect(codes).not.toContain('N40.0');
  });

  it('does not code conditions whose tests came back negative', () => {
    const codes = proposed('Cough and fever for 3 days. Influenza and COVID-19 tests negative.');
    expect(codes.filter((c) => /^(J09|J10|J11|U07)/.test(c))).toEqual([]);
    expect(codes).toContain('R50.9');
  });

  it('drops bleeding signs integral to a bleeding ulcer and vaginal bleeding integral to a threatened abortion', () => {
    const ulcer = proposed('Admitted with hematemesis. Endoscopy: bleeding gastric ulcer. Diagnosis: acute gastric ulcer with hemorrhage.', 'inpatient');
    expect(ulcer.some((c) => c.startsWith('K25'))).toBe(true);
    expect(ulcer).not.toContain('K92.0');
    const pregnancy = proposed('G1P0 at 8 weeks with vaginal bleeding and cramping. Impression: threatened abortion.', 'ED');
    expect(pregnancy).toContain('O20.0');
    expect(pregnancy.filter((c) => c.startsWith('N93'))).toEqual([]);
  });

  it('drops myalgia and headache integral to influenza', () => {
    const codes = proposed('Fever, myalgia and headache for 2 days. Influenza A test positive. Assessment: influenza A.', 'ED');
    expect(codes.some((c) => /^J1[01]/.test(c))).toBe(true);
    expect(codes.filter((c) => c.startsWith('M79.1') || c.startsWith('R51'))).toEqual([]);
  });

  it('reads a list of vaccines given as immunizations (Z23), not as the diseases they prevent', () => {
    const codes = proposed('Immunizations administered today: varicella, hepatitis B, influenza. Healthy toddler.');
    expect(codes).toContain('Z23');
    expect(codes.filter((c) => /^(B01|B16|B18|B19|J09|J10|J11)/.test(c))).toEqual([]);
    expect(proposed('No vaccines given today; parents will decide next visit.')).not.toContain('Z23');
  });

  it('codes the side of a condition whose category has one limb (left carpal tunnel syndrome is G56.02)', () => {
    const codes = proposed('Assessment: right carpal tunnel syndrome, confirmed by nerve conduction.');
    expect(codes).toContain('G56.01');
    expect(codes).not.toContain('G56.00');
  });

  it('codes bronchiectasis with pneumonia as J47.0 and reads "non-cystic fibrosis" as no cystic fibrosis', () => {
    const codes = proposed('Diagnosis: pneumonia in non-cystic fibrosis bronchiectasis.', 'inpatient');
    expect(codes).toContain('J47.0');
    expect(codes).not.toContain('J47.9');
    expect(codes.filter((c) => c.startsWith('E84'))).toEqual([]);
  });

  it('codes influenza with an identified virus as J10, not J11', () => {
    const codes = proposed('Rapid test positive for influenza A. Assessment: influenza with pneumonia.', 'inpatient');
    expect(codes.some((c) => c.startsWith('J10'))).toBe(true);
    expect(codes.filter((c) => c.startsWith('J11'))).toEqual([]);
  });

  it('gives a fracture healed in malunion the malunion 7th character, not routine healing', () => {
    const codes = proposed("Assessment: Colles' fracture of the left radius, subsequent encounter, healed in malunion.");
    expect(codes).toContain('S52.532P');
    expect(codes).not.toContain('S52.532D');
  });

  it('codes deficits remaining after a past stroke as sequelae (I69.3-), not as a current stroke', () => {
    const codes = proposed('Clinic visit 8 months after an ischemic stroke. Residual expressive aphasia. Hypertension, controlled.');
    expect(codes).toContain('I69.320');
    expect(codes.filter((c) => c.startsWith('I63') || c === 'R47.01' || c === 'Z86.73')).toEqual([]);
    const acute = proposed('Discharge diagnosis: acute ischemic stroke with expressive aphasia.', 'inpatient');
    expect(acute.filter((c) => c.startsWith('I69'))).toEqual([]);
  });

  it('codes an excised cancer with treatment completed and no evidence of disease as history, and a still-treated one as current', () => {
    const past = proposed('Follow-up examination after completed treatment for left breast cancer. No evidence of recurrence.');
    expect(past).toContain('Z85.3');
    expect(past).toContain('Z08');
    expect(past.filter((c) => c.startsWith('C'))).toEqual([]);
    const current = proposed('Left breast cancer, no evidence of recurrence; currently on letrozole.');
    expect(current.some((c) => c.startsWith('C50'))).toBe(true);
  });

  it('does not remind the coder of an "if applicable" code-first condition the note does not document', () => {
    const [pneumonia] = suggestCodes({ text: 'Discharge diagnosis: community-acquired pneumonia.' }, { top: 5, setting: 'inpatient' });
    expect(pneumonia?.code).toBe('J18.9');
    expect(pneumonia?.flags.filter((f) => f.kind === 'codeFirst')).toEqual([]);
  });

  it('codes acute blood loss anemia as D62, not anemia unspecified', () => {
    const codes = proposed('Discharge diagnoses: bleeding gastric ulcer; acute blood loss anemia, transfused.', 'inpatient');
    expect(codes).toContain('D62');
    expect(codes).not.toContain('D64.9');
  });

  it('codes a low-energy fracture in age-related osteoporosis as M80.0-, and a high-energy one as the injury', () => {
    const fall = proposed('Age-related osteoporosis. Tripped and fell at home. Diagnosis: displaced intertrochanteric fracture of the right femur.', 'ED');
    expect(fall).toContain('M80.051A');
    expect(fall.filter((c) => c.startsWith('S72') || c === 'M81.0')).toEqual([]);
    const crash = proposed('Age-related osteoporosis. Injured in a motor vehicle collision. Diagnosis: displaced intertrochanteric fracture of the right femur.', 'ED');
    expect(crash.filter((c) => c.startsWith('M80'))).toEqual([]);
  });

  it("codes Alzheimer's dementia as G30.- with F02.8-, not unspecified dementia", () => {
    const codes = proposed("Assessment: late-onset Alzheimer's dementia, no behavioral disturbance. Hypertension.");
    expect(codes).toContain('G30.1');
    expect(codes).toContain('F02.80');
    expect(codes.filter((c) => c.startsWith('F03'))).toEqual([]);
  });

  it('codes oropharyngeal dysphagia to its phase (R13.12), not dysphagia unspecified', () => {
    const codes = proposed('Swallow study confirmed oropharyngeal dysphagia. Assessment: oropharyngeal dysphagia.');
    expect(codes).toContain('R13.12');
    expect(codes).not.toContain('R13.10');
  });

  it('follows Index entries the lexicon term misses: pleuritic chest pain is R07.81, C. difficile colitis A04.7-', () => {
    const chest = proposed('ED note. Sharp pleuritic chest pain since yesterday, no fever. Impression: pleuritic chest pain.', 'ED');
    expect(chest).toContain('R07.81');
    expect(chest).not.toContain('R07.9');
    const colitis = proposed('Discharge summary. Final diagnosis: recurrent Clostridioides difficile colitis, second episode this year. Treated with fidaxomicin.', 'inpatient');
    expect(colitis).toContain('A04.71');
    expect(colitis.filter((c) => c.startsWith('K52'))).toEqual([]);
  });

  it('codes diabetes of no stated type as type 2 (E11), due to an underlying condition as E08, drug-induced as E09', () => {
    expect(proposed('Follow-up. Diabetes mellitus with hyperglycemia, on metformin.')).toContain('E11.65');
    const underlying = proposed("Endocrinology. Diabetes due to Cushing's syndrome, A1c 8.9%, with hyperglycemia. On insulin glargine.");
    expect(underlying).toContain('E08.65');
    expect(underlying.filter((c) => c.startsWith('E11'))).toEqual([]);
    const steroid = proposed('Steroid-induced diabetes with hyperglycemia while on prednisone for polymyalgia rheumatica.');
    expect(steroid).toContain('E09.65');
    expect(steroid.filter((c) => c.startsWith('E11'))).toEqual([]);
  });

  it('does not code a condition removed by a past replacement; the status code carries it', () => {
    const codes = proposed('Orthopedics. Right total knee replacement 3 years ago for osteoarthritis of the right knee, doing well. Assessment: presence of right artificial knee joint.');
    expect(codes).toContain('Z96.651');
    expect(codes.filter((c) => c.startsWith('M17'))).toEqual([]);
  });

  it('codes an ulcer of a foot site as a skin ulcer (L97.-) linked to diabetes, never a peptic ulcer', () => {
    const codes = proposed('Podiatry. Type 2 diabetes. Ulcer of the left heel with fat layer exposed, no bone involvement.');
    expect(codes).toContain('E11.621');
    expect(codes).toContain('L97.422');
    expect(codes.filter((c) => /^K2[5-8]/.test(c))).toEqual([]);
  });

  it('codes a subsequent MI within 4 weeks as I22.- first, with the first MI as I21.-', () => {
    const codes = proposed('Discharge summary. Readmitted 9 days after an NSTEMI with new chest pain and troponin rise. Final diagnosis: subsequent inferior STEMI.', 'inpatient');
    expect(codes[0]).toBe('I22.1');
    expect(codes).toContain('I21.4');
  });

  it('codes epistaxis beside atrial fibrillation, and no unspecified hemorrhage beside it', () => {
    const codes = proposed('ED note. Atrial fibrillation on apixaban. Epistaxis from the right nostril for an hour; bleeding stopped with pressure.', 'ED');
    expect(codes).toContain('R04.0');
    expect(codes).not.toContain('R58');
  });

  it('codes a cerebral infarction due to a named artery occlusion once, as the combination code', () => {
    const codes = proposed('Discharge summary. Final diagnosis: acute ischemic stroke due to embolism of the right middle cerebral artery, with left hemiparesis.', 'inpatient');
    expect(codes).toContain('I63.411');
    expect(codes.filter((c) => /^I(74|82)|^I63\.9/.test(c))).toEqual([]);
  });

  it('codes an adverse effect of a drug taken as prescribed after its manifestation, with the Table of Drugs code', () => {
    const codes = proposed('Follow-up. Type 2 diabetes on insulin glargine. Two episodes of hypoglycemia due to insulin this week. No side effects from metformin.');
    expect(codes[0]).toBe('E11.649');
    expect(codes).toContain('T38.3X5A');
    // No adverse effect named for metformin: no code for it; poisoning wording is not an adverse effect.
    expect(codes.filter((c) => c.startsWith('T78'))).toEqual([]);
    const overdose = proposed('ED note. Took 30 tablets of oxycodone in a suicide attempt. Opioid overdose.', 'ED');
    expect(overdose.filter((c) => /^T40\.2X5/.test(c))).toEqual([]);
  });

  it('keeps the drug the Table of Drugs names and only chooses the 7th character (oxycodone is T40.2, not opium T40.0)', () => {
    const codes = proposed('Diagnosis: accidental oxycodone poisoning with acute hypercapnic respiratory failure.', 'inpatient');
    expect(codes).toContain('T40.2X1A');
    expect(codes.filter((c) => c.startsWith('T40') && !c.startsWith('T40.2'))).toEqual([]);
  });

  it('drops the sibling that leaves unspecified what another code states (nicotine dependence, cigarettes)', () => {
    const codes = proposed('Still smoking half a pack of cigarettes a day; nicotine dependence, counseled.');
    expect(codes).toContain('F17.210');
    expect(codes).not.toContain('F17.200');
  });

  it('codes valve disease as the Index reads it: aortic stenosis and mitral regurgitation are nonrheumatic unless stated', () => {
    const codes = proposed('Cardiology clinic. Severe aortic stenosis and moderate mitral regurgitation on echo; referred for valve replacement.');
    expect(codes).toEqual(expect.arrayContaining(['I35.0', 'I34.0']));
    expect(codes.filter((c) => /^I0[5-8]/.test(c))).toEqual([]);
  });

  it('does not let hypertension explain a cough, and reads atypical chest pain through the Index (R07.89)', () => {
    const codes = proposed('Primary care. Essential hypertension. Dry cough for 3 weeks, no fever. Assessment: atypical chest pain, musculoskeletal.');
    expect(codes).toContain('R05');
    expect(codes).toContain('R07.89');
    expect(codes).not.toContain('R07.9');
  });

  it("codes a drug's indication as the patient's condition, and ESRD as N18.6 with hypertensive CKD", () => {
    const codes = proposed('Nephrology. ESRD on hemodialysis. BP 142/88 on amlodipine for hypertension.');
    expect(codes).toContain('I12.0');
    expect(codes).toContain('N18.6');
    expect(codes).not.toContain('N19');
  });

  it('does not code weight gain beside heart failure or in pregnancy', () => {
    expect(proposed('Discharge summary. Admitted with 4 kg weight gain and leg edema. Diagnosis: acute on chronic diastolic heart failure.', 'inpatient')).not.toContain('R63.5');
    expect(proposed('Prenatal visit. G2P1 at 20 weeks, weight gain appropriate, no complaints.')).not.toContain('R63.5');
    expect(proposed('Primary care. Weight gain of 8 kg over 6 months, no edema.')).toContain('R63.5');
  });

  it('finds a fracture the structuring lexicon has no term for through the Index (Fracture, humerus → S42)', () => {
    const codes = proposed('ED note. Fell from a ladder onto the right arm. Assessment: displaced fracture of the shaft of the right humerus. Plan: splint, orthopedics.', 'ED');
    // No pattern is written, so the pattern is unspecified (S42.30-), not transverse, oblique or spiral.
    expect(codes).toContain('S42.301A');
    expect(codes.filter((c) => /^S42\.3[2-9]/.test(c))).toEqual([]);
    expect(proposed('ED note. Assessment: displaced transverse fracture of the shaft of the right humerus.', 'ED')).toContain('S42.321A');
    // One found in the past is not a current injury.
    const past = proposed('Clinic. Three years ago he had a fracture of the left humerus, healed. Today: hypertension follow-up.');
    expect(past.filter((c) => c.startsWith('S42'))).toEqual([]);
  });

  it('does not read a drug started during the stay, or taken in overdose, as long-term use', () => {
    const stay = proposed('Discharge summary. New atrial fibrillation. Rate controlled with metoprolol; started apixaban. Home meds: aspirin 81 mg daily.', 'inpatient');
    expect(stay).not.toContain('Z79.01');
    expect(stay).toContain('Z79.82');
    const overdose = proposed('Discharge summary. Took extra oxycodone tablets by mistake. Diagnosis: acute hypercapnic respiratory failure.', 'inpatient');
    expect(overdose).not.toContain('Z79.891');
    expect(proposed('Clinic. Atrial fibrillation, on apixaban 5 mg twice daily for 2 years.')).toContain('Z79.01');
  });

  it('reads an effusion or fistula as a joint disorder only where a joint is named, and ear pain as integral to otitis', () => {
    const ear = proposed('Pediatrics. Right ear pain and fever. Exam: bulging right TM with purulent effusion behind it. Assessment: acute suppurative otitis media, right ear.');
    expect(ear.filter((c) => c.startsWith('M25') || c.startsWith('H92'))).toEqual([]);
    expect(ear.some((c) => c.startsWith('H66.0'))).toBe(true);
    expect(proposed('Hemodialysis via a left arm AV fistula. ESRD.').filter((c) => c.startsWith('M25'))).toEqual([]);
    expect(proposed('Orthopedics. Twisting injury 2 days ago. Exam: large effusion of the right knee. Assessment: right knee effusion.')).toContain('M25.461');
  });
});

describe('guideline coding of problems the learned mention finder changed', () => {
  const text = 'Assessment: acute suppurative otitis media, left ear, without rupture of ear drum.';
  const codesOf = (structured: StructuredNote) => suggestCodes({ text, structured }, { top: 30, setting: 'outpatient' }).filter((s) => s.proposed).map((s) => s.code);

  it('reads the lexicon words of a widened problem, not its displayed span', () => {
    // Read as its own words, the widened "hypertensive kidney disease" would add I12.9: coding stays on the lexicon's.
    const note = 'Assessment: hypertensive kidney disease with CKD stage 3.';
    const structured = structureNote(note);
    const kidney = structured.problems.find((p) => p.text === 'kidney disease')!;
    const start = note.indexOf('hypertensive');
    const widened = { ...kidney, start, text: note.slice(start, kidney.end), wording: { start: kidney.start, end: kidney.end, text: kidney.text } };
    const codes = (s: StructuredNote) => suggestCodes({ text: note, structured: s }, { top: 30, setting: 'outpatient' }).filter((x) => x.proposed).map((x) => x.code);
    expect(codes({ ...structured, problems: structured.problems.map((p) => (p === kidney ? widened : p)) })).toEqual(codes(structured));
  });

  it('leaves out a finder-only problem without a code, so it neither codes nor splits a clause', () => {
    const structured = structureNote(text);
    const at = text.indexOf('left ear');
    const leftEar = { ...structured.problems[0]!, id: 'p9', start: at, end: at + 8, text: 'left ear', term: 'left ear', candidateCodes: [], matchedBy: 'ner' as const, source: 'ner' as const };
    const codes = codesOf({ ...structured, problems: [...structured.problems, leftEar].sort((a, b) => a.start - b.start) });
    expect(codes).toEqual(codesOf(structured));
    expect(codes).toContain('H66.002');
  });
});
