import { describe, expect, it } from 'vitest';
import { loadCodeSet } from './icd10/versions.ts';
import { applyCoderDecisions, ClaimEditsError, CodingReviewError, type CoderDecision, type ReviewableSuggestion, type ReviewContext } from './review.ts';

const codeSet = loadCodeSet('FY2021');
const suggestions: ReviewableSuggestion[] = [
  { code: 'J18.9', score: 0.9, proposed: true, evidence: [{ noteId: 'n1' }] },
  { code: 'R50.9', score: 0.8, proposed: true, evidence: [{ noteId: 'n2' }] },
  { code: 'I21.9', score: 0.7, proposed: true, evidence: [] },
  { code: 'Z80.3', score: 0.2, proposed: false, evidence: [] },
];
const outpatient: ReviewContext = { patient: { sex: 'female' }, encounter: { type: 'outpatient' } };
const run = (decisions: CoderDecision[], context: ReviewContext = outpatient) => () => applyCoderDecisions(suggestions, decisions, codeSet, context);

describe('coder review', () => {
  it('refuses to save while a proposed code has no decision', () => {
    expect(run([{ action: 'accept', code: 'J18.9' }])).toThrow(/2 proposed codes have no decision \(R50\.9, I21\.9\)/);
    expect(run([{ action: 'accept', code: 'J18.9' }])).toThrow(CodingReviewError);
  });

  it('keeps the order sent as the sequence, records leave-out, and refuses unoverridden warnings', () => {
    const decisions: CoderDecision[] = [
      { action: 'leave', code: 'I21.9' },
      { action: 'accept', code: 'R50.9' },
      { action: 'accept', code: 'J18.9' },
    ];
    expect(run(decisions)).toThrow(ClaimEditsError);
    const outcome = applyCoderDecisions(suggestions, decisions, codeSet, { ...outpatient, overrides: [{ editId: 'symptomWithDiagnosis:J18.9+R50.9', reason: 'fever persisted after the pneumonia resolved' }, { editId: 'stale:X', reason: 'gone' }] });
    expect(outcome.finalCodes.map((f) => f.code)).toEqual(['R50.9', 'J18.9']);
    expect(outcome.decisions.map((d) => [d.action, d.suggestedCode, d.sequence, d.noteId])).toEqual([
      ['leave', 'I21.9', null, null],
      ['accept', 'R50.9', 1, 'n2'],
      ['accept', 'J18.9', 2, 'n1'],
    ]);
    expect(outcome.overrides).toEqual([{ editId: 'symptomWithDiagnosis:J18.9+R50.9', reason: 'fever persisted after the pneumonia resolved' }]);
  });

  it('never lets a blocking edit be overridden', () => {
    const decisions: CoderDecision[] = [
      { action: 'replace', code: 'J18.9', replacement: 'I21.4' },
      { action: 'accept', code: 'I21.9' },
      { action: 'reject', code: 'R50.9', reason: 'denied' },
    ];
    let error: unknown;
    try {
      run(decisions)();
    } catch (e) {
      error = e;
    }
    expect((error as ClaimEditsError).edits.filter((e) => e.severity === 'blocking').map((e) => e.id)).toEqual(['overlap:I21.4+I21.9']);
    expect(() => applyCoderDecisions(suggestions, decisions, codeSet, { ...outpatient, overrides: [{ editId: 'overlap:I21.4+I21.9', reason: 'both' }] })).toThrow(/blocking edit and cannot be overridden/);
  });

  it('needs a POA indicator per code on inpatient encounters, fills exempt codes, and refuses POA elsewhere', () => {
    const inpatient = { patient: {}, encounter: { type: 'inpatient' as const } };
    const base: CoderDecision[] = [
      { action: 'reject', code: 'R50.9', reason: 'integral' },
      { action: 'leave', code: 'I21.9' },
    ];
    expect(run([{ action: 'accept', code: 'J18.9' }, ...base], inpatient)).toThrow(/J18\.9 needs a POA indicator/);
    expect(run([{ action: 'accept', code: 'J18.9', poa: 'exempt' }, ...base], inpatient)).toThrow(/not exempt/);
    const outcome = applyCoderDecisions(suggestions, [{ action: 'accept', code: 'J18.9', poa: 'Y' }, { action: 'accept', code: 'Z80.3' }, ...base], codeSet, inpatient);
    expect(outcome.finalCodes.map((f) => [f.code, f.poa])).toEqual([
      ['J18.9', 'Y'],
      ['Z80.3', 'exempt'],
    ]);
    expect(run([{ action: 'accept', code: 'J18.9', poa: 'Y' }, ...base])).toThrow(/POA indicators are for inpatient encounters/);
  });
});
