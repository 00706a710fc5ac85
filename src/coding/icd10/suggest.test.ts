import { describe, expect, it } from 'vitest';
import { suggestCodes, type Suggestion } from './suggest.ts';

const codes = (suggestions: Suggestion[]) => suggestions.map((s) => s.code);
const find = (suggestions: Suggestion[], code: string) => suggestions.find((s) => s.code === code);

describe('suggestCodes', () => {
  it('proposes the guideline codes first, with calibrated scores, roles, rules, evidence offsets and the versions used', () => {
    const text = 'A 60-year-old man with type 2 diabetes mellitus and arterial hypertension presented with fever.';
    const suggestions = suggestCodes({ text }, { top: 10 });
    expect(codes(suggestions.filter((s) => s.proposed)).sort()).toEqual(['E11.9', 'I10', 'R50.9']);
    expect(codes(suggestions.slice(0, 3)).sort()).toEqual(['E11.9', 'I10', 'R50.9']);
    expect(suggestions.map((s) => s.role).slice(0, 3)).toEqual(['principal', 'secondary', 'secondary']);
    suggestions.forEach((s, i) => {
      expect(s.rank).toBe(i + 1);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.rule).toMatch(new RegExp(`^${s.code.replace('.', '\\.')}: `));
      // Unproposed alternatives follow the proposals, best scored first.
      if (i > 0 && !s.proposed) expect(s.score).toBeLessThanOrEqual(suggestions[i - 1]!.proposed ? 1 : suggestions[i - 1]!.score);
      expect(s.codeSetVersion).toBe('FY2021');
      expect(s.rankerVersion).toMatch(/^lr-[0-9a-f]{12}$/);
      for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
    });
    const fever = find(suggestions, 'R50.9')!;
    expect(fever.proposed).toBe(true);
    expect(fever.evidence.map((e) => e.text)).toContain('fever');
  });

  it('gives guideline-proposed codes a confidence from how they were reached, not the ranker score', () => {
    const text = 'Discharge summary. Final diagnosis: community-acquired pneumonia. Probable urinary tract infection. Type 2 diabetes mellitus.';
    const suggestions = suggestCodes({ text }, { top: 20, setting: 'inpatient' });
    const diabetes = find(suggestions, 'E11.9')!;
    expect(diabetes).toMatchObject({ proposed: true, confidence: 'high' });
    // An uncertain diagnosis coded as established (inpatient, II.H) asks the coder to look.
    const uti = find(suggestions, 'N39.0')!;
    expect(uti).toMatchObject({ proposed: true, confidence: 'medium' });
    expect(uti.confidenceBasis).toMatch(/uncertain.*II\.H/);
    for (const s of suggestions) expect(s.confidence).toBe(s.proposed ? s.confidence : 'low');
    expect(suggestions.filter((s) => !s.proposed).every((s) => s.confidenceBasis.length > 0)).toBe(true);
  });

  it('gives no diagnosis code for a negated mention', () => {
    const suggestions = suggestCodes({ text: 'No fever. Productive cough for two weeks.' }, { top: 30 });
    expect(codes(suggestions)).not.toContain('R50.9');
    expect(find(suggestions, 'R05')?.proposed).toBe(true);
    const asserted = suggestCodes({ text: 'Fever. Productive cough for two weeks.' }, { top: 30 });
    expect(find(asserted, 'R50.9')?.proposed).toBe(true);
  });

  it('gives no code for a hypothetical mention', () => {
    const suggestions = suggestCodes({ text: 'Return to the emergency department if chest pain appears.' }, { top: 30 });
    expect(codes(suggestions).filter((c) => c.startsWith('R07'))).toEqual([]);
  });

  it('codes a past condition as personal history where the classification says so', () => {
    const text = 'History of pulmonary embolism in 2015, treated with anticoagulants.';
    const suggestions = suggestCodes({ text }, { top: 30 });
    expect(codes(suggestions).filter((c) => c.startsWith('I26'))).toEqual([]);
    const history = find(suggestions, 'Z86.711')!;
    expect(history.proposed).toBe(true);
    expect(history.flags.filter((f) => f.kind === 'personalHistory')).toEqual([
      expect.objectContaining({ conditionCode: expect.stringMatching(/^I26/) }),
    ]);
    expect(history.evidence.map((e) => e.text).join(' ')).toMatch(/embolism/);
  });

  it('turns a relative’s condition into a family-history code, never the condition itself', () => {
    const suggestions = suggestCodes({ text: 'Her mother had breast cancer.' }, { top: 30 });
    expect(codes(suggestions).filter((c) => c.startsWith('C50'))).toEqual([]);
    expect(find(suggestions, 'Z80.3')?.flags).toContainEqual(expect.objectContaining({ kind: 'familyHistory' }));
  });

  it('flags an uncertain diagnosis and does not propose it as confirmed', () => {
    const confirmed = find(suggestCodes({ text: 'Assessment: pneumonia of the right lower lobe.' }, { top: 30 }), 'J18.9')!;
    expect(confirmed.proposed).toBe(true);
    const uncertain = find(suggestCodes({ text: 'Assessment: possible pneumonia.' }, { top: 30 }), 'J18.9')!;
    expect(uncertain.proposed).toBe(false);
    expect(uncertain.flags.map((f) => f.kind)).toContain('uncertainDiagnosis');
  });

  it('uses a structured note passed in instead of structuring again', async () => {
    const { structureNote } = await import('../../notes/structuring/structure.ts');
    const text = 'No fever. Productive cough for two weeks.';
    expect(suggestCodes({ text, structured: structureNote(text) }, { top: 30 })).toEqual(suggestCodes({ text }, { top: 30 }));
  });

  it('proposes the code with its 7th character under the guidelines; in research mode a header asks for specificity', () => {
    const text = 'Fracture of the left femur neck after a fall.';
    const guideline = suggestCodes({ text }, { top: 20 });
    expect(guideline.filter((s) => s.proposed).map((s) => s.code)).toEqual(['S72.002A']);
    expect(guideline.filter((s) => s.proposed && !s.billable)).toEqual([]);
    const header = find(suggestCodes({ text }, { top: 20, codeAllMentions: true }), 'S72.002')!;
    expect(header.billable).toBe(false);
    const flag = header.flags.find((f) => f.kind === 'needsSpecificity');
    expect(flag?.kind === 'needsSpecificity' && flag.choices[0]).toMatchObject({
      code: 'S72.002A',
      distinguishing: 'initial encounter for closed fracture',
      axes: ['episode'],
    });
  });

  it('flags an Excludes1 pair among proposed codes', () => {
    // Pain stated twice: a single 'Generalized pain' beside chest pain scores below the threshold, as R52 is
    // rarely coded next to a site-specific pain code.
    const text = 'Patient with chest pain. Generalized pain. Diffuse pain all over the body.';
    // Under the guidelines the unspecified pain is not coded beside chest pain; the research mode ranks both and flags the pair.
    expect(suggestCodes({ text }, { top: 10 }).filter((s) => s.proposed).map((s) => s.code)).toEqual(['R07.9']);
    const suggestions = suggestCodes({ text }, { top: 10, codeAllMentions: true });
    const chest = find(suggestions, 'R07.9')!;
    const pain = find(suggestions, 'R52')!;
    expect(chest.proposed && pain.proposed).toBe(true);
    expect(pain.flags).toContainEqual(expect.objectContaining({ kind: 'excludes1Conflict', otherCode: 'R07.9', note: 'chest pain (R07.1-R07.9)' }));
    expect(chest.flags).toContainEqual(expect.objectContaining({ kind: 'excludes1Conflict', otherCode: 'R52' }));
  });

  it('reminds of use-additional-code instructions and which listed code satisfies them', () => {
    const text = 'Type 2 diabetes mellitus on insulin therapy; long-term use of insulin.';
    const diabetes = find(suggestCodes({ text }, { top: 20 }), 'E11.9')!;
    expect(diabetes.flags).toContainEqual(expect.objectContaining({ kind: 'useAdditionalCode', noteFrom: 'E11' }));
  });

  it('returns nothing for text without clinical content', () => {
    expect(suggestCodes({ text: '' })).toEqual([]);
  });
});
