import { describe, expect, it } from 'vitest';
import { contextOfSpan, structureNote } from './structure.ts';

/** Context of the first occurrence of `target` in `text`. */
function contextOf(text: string, target: string) {
  const start = text.indexOf(target);
  if (start < 0) throw new Error(`${target} not in ${text}`);
  return contextOfSpan(text, start, start + target.length);
}

describe('ConText context', () => {
  it('ends a negation at "but": no chest pain but reports dyspnea', () => {
    const note = structureNote('No chest pain but reports dyspnea.');
    const byText = Object.fromEntries(note.problems.map((p) => [p.text, p.context]));
    expect(byText['chest pain']).toMatchObject({ negated: true, assertion: 'absent' });
    expect(byText.dyspnea).toMatchObject({ negated: false, assertion: 'present', experiencer: 'patient' });
  });

  it('ends a negation at "with" and "who": without known allergies, with a history of hypertension (CodiEsp train sentence)', () => {
    const text =
      'A 68-year-old male, without known allergies, with a history of hypertension, mild chronic renal failure, chronic atrial fibrillation, deficit in type III leading to intestinal thrombosis, venous thrombosis and ileum failure of nine years earlier, was diagnosed.';
    expect(contextOf(text, 'hypertension')).toMatchObject({ negated: false, historical: true });
    const note = structureNote('Patient without fever, with cough.');
    const byText = Object.fromEntries(note.problems.map((p) => [p.text, p.context]));
    expect(byText.fever).toMatchObject({ negated: true });
    expect(byText.cough).toMatchObject({ negated: false, assertion: 'present' });
    expect(contextOf('A 42-year-old man with no relevant history, who had pneumonia last year.', 'pneumonia')).toMatchObject({ negated: false });
  });

  it('gives a relative\'s disease to the family: mother had breast cancer', () => {
    const [cancer] = structureNote('Her mother had breast cancer.').problems;
    expect(cancer).toMatchObject({ text: 'breast cancer', candidateCodes: ['C50.9'] });
    expect(cancer!.context).toMatchObject({ family: true, experiencer: 'family', negated: false });
    expect(cancer!.context.cues.some((c) => c.category === 'family' && c.text === 'mother')).toBe(true);
  });

  it('marks a diagnosis to exclude as uncertain, not negated: rule out PE', () => {
    const [pe] = structureNote('Rule out PE.').problems;
    expect(pe).toMatchObject({ text: 'PE', candidateCodes: expect.arrayContaining(['I26']) });
    expect(pe!.context).toMatchObject({ uncertain: true, negated: false, assertion: 'possible' });
  });

  // Sentences from the NegEx test kit (shared data, eval/negex/rsAnnotations-part1.txt).
  it('negates findings in a list after "no"', () => {
    expect(contextOf('Extremities reveal no peripheral cyanosis or EDEMA.', 'EDEMA').negated).toBe(true);
    expect(contextOf('Extremities: No clubbing, cyanosis, or EDEMA.', 'EDEMA').negated).toBe(true);
    expect(contextOf('REVIEW OF SYSTEMS:  Constitutional - No fevers, CHILLS, or sweats.', 'CHILLS').negated).toBe(true);
  });

  it('reads resolved findings and backward triggers as negated', () => {
    expect(contextOf('His nausea and VOMITING resolved.', 'VOMITING').negated).toBe(true);
    expect(contextOf('Urine: Quantitative PCR testing for BK VIRUS is NEGATIVE.', 'BK VIRUS').negated).toBe(true);
  });

  it('does not negate what is only questioned', () => {
    const questionable = contextOf('Questionable PE with IVC filter.', 'PE');
    expect(questionable).toMatchObject({ negated: false, uncertain: true });
  });

  it('marks history of a condition as historical, but not the present complaint', () => {
    expect(contextOf('History of CEREBROVASCULAR ACCIDENT.', 'CEREBROVASCULAR ACCIDENT').historical).toBe(true);
    const text = 'REASON FOR ADMISSION:  This is a 80-year-old female with a history of coronary artery disease who presents with STABBING CHEST PAIN.';
    expect(contextOf(text, 'coronary artery disease').historical).toBe(true);
    expect(contextOf(text, 'STABBING CHEST PAIN').historical).toBe(false);
  });

  it('does not read an age ("58-year-old") as a past event', () => {
    expect(contextOf('This is a 58-year-old male with low back pain.', 'low back pain').historical).toBe(false);
  });

  it('uses a PAST MEDICAL HISTORY header as the default temporality', () => {
    const ctx = contextOf('PAST MEDICAL HISTORY:  Past medical history of CORONARY ARTERY DISEASE, status post CABG.', 'CORONARY ARTERY DISEASE');
    expect(ctx.historical).toBe(true);
  });

  it('marks return precautions as hypothetical', () => {
    const ctx = contextOf('Return to the Emergency Department or PCP if he develops nausea, VOMITING, fevers or chills.', 'VOMITING');
    expect(ctx).toMatchObject({ hypothetical: true, temporality: 'hypothetical' });
  });

  it('keeps "no history of" both negated and historical', () => {
    const ctx = contextOf('There was no history of a SEIZURE.', 'SEIZURE');
    expect(ctx).toMatchObject({ negated: true, historical: true });
  });

  it('assigns findings under FAMILY HISTORY to relatives', () => {
    const note = structureNote('FAMILY HISTORY\n\nHypertension.\nDiabetes.\n\nSOCIAL HISTORY\n\nDenies tobacco use.');
    const hypertension = note.problems.find((p) => p.text === 'Hypertension');
    expect(hypertension?.context).toMatchObject({ family: true });
    expect(hypertension?.context.cues.some((c) => c.category === 'section' && c.text === 'FAMILY HISTORY')).toBe(true);
  });

  it('reads weighed diagnoses as possible and dated ones as past (sentences written for this test)', () => {
    expect(contextOf('Pulmonary embolism unlikely.', 'Pulmonary embolism')).toMatchObject({ assertion: 'possible', negated: false });
    expect(contextOf('Adrenal insufficiency is possible; cortisol sent.', 'Adrenal insufficiency')).toMatchObject({ assertion: 'possible' });
    expect(contextOf('Celiac disease to be excluded with serology.', 'Celiac disease')).toMatchObject({ assertion: 'possible' });
    expect(contextOf('Lupus screening negative.', 'Lupus')).toMatchObject({ assertion: 'absent' });
    expect(contextOf('TIA in 2020, no residual deficits.', 'TIA')).toMatchObject({ historical: true, temporality: 'historical' });
    expect(contextOf('Stroke since 2021 with residual weakness.', 'Stroke')).toMatchObject({ historical: false });
  });

  it('keeps a child\'s symptoms the child\'s when a parent reports them', () => {
    expect(contextOf('Mother reports 6 y/o with vomiting since last night.', 'vomiting')).toMatchObject({ experiencer: 'patient', family: false });
    expect(contextOf('Mother has diabetes.', 'diabetes')).toMatchObject({ experiencer: 'family' });
  });
});
