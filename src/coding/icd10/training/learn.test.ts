import { describe, expect, it } from 'vitest';
import { loadRanker, Ranker } from '../ranker/model.ts';
import { suggestCodes } from '../suggest.ts';
import { learnFromDecisions, type CodingDecision } from './learn.ts';

const base = loadRanker();
// The ranker's own score, read in research mode: in guideline mode a learned phrase ranks a code but cannot make it
// proposable unless the note's words support the code.
const scoreOf = (ranker: Ranker, text: string, code: string) =>
  suggestCodes({ text }, { ranker, top: 50, codeAllMentions: true }).find((s) => s.code === code)?.score ?? 0;

function decisionsFor(texts: string[], phrase: string, code: string, accepted: boolean): CodingDecision[] {
  return texts.map((text) => {
    const start = text.toLowerCase().indexOf(phrase);
    return { text, code, accepted, evidence: [{ start, end: start + phrase.length }] };
  });
}

describe('learnFromDecisions', () => {
  it('learns a phrase coders keep accepting for a code', () => {
    const notes = [
      'Patient reports brittle bones since menopause.',
      'Known brittle bones, on bisphosphonates.',
      'She has brittle bones and fell at home.',
      'Brittle bones were noted on densitometry.',
      'Brittle bones confirmed by DEXA scan.',
    ];
    const probe = 'The patient has brittle bones.';
    expect(scoreOf(base, probe, 'M81.0')).toBe(0);
    const { model, phraseUpdates, weightRows } = learnFromDecisions(decisionsFor(notes, 'brittle bones', 'M81.0', true), { ranker: base });
    expect(phraseUpdates).toBe(5);
    expect(weightRows).toBeGreaterThan(5);
    const learned = new Ranker(model);
    expect(scoreOf(learned, probe, 'M81.0')).toBeGreaterThan(0.2);
    expect(learned.version).not.toBe(base.version);
    expect(model.decisionsLearned).toBe(base.data.decisionsLearned + 5);
    expect(model.trainedOn).toMatch(/\+ 5 coder decisions$/);
  });

  it('lowers a suggestion coders keep rejecting, without upsetting the rest of the model', () => {
    const notes = ['Mild pain after the procedure, resolved.', 'Pain at the injection site.', 'Some pain while walking yesterday.', 'Pain controlled with paracetamol.'];
    const probe = 'He mentions pain.';
    const learned = new Ranker(learnFromDecisions(decisionsFor(notes, 'pain', 'R52', false), { ranker: base }).model);
    expect(scoreOf(learned, probe, 'R52')).toBeLessThan(scoreOf(base, probe, 'R52'));
    const unrelated = 'Type 2 diabetes mellitus and arterial hypertension.';
    expect(scoreOf(learned, unrelated, 'E11.9')).toBeGreaterThan(0.8);
  });

  it('rejects decisions for codes outside the code set', () => {
    expect(() => learnFromDecisions([{ text: 'x', code: 'Q99.999', accepted: true }], { ranker: base })).toThrow(/not in ICD-10-CM/);
  });
});
