import { describe, expect, it } from 'vitest';
import { goldGroupsByChar, predictedGroupsByChar } from './sections.ts';

describe('ACI-BENCH section grouping', () => {
  const note = 'CHIEF COMPLAINT\n\nKnee pain.\n\nVITALS\n\nBP: 120/80.\n\nPHYSICAL EXAM\n\nVITALS REVIEWED\n\nNormal.\n\nRESULTS\n\nX-ray normal.\n\nPLAN\n\nRest.';

  it('aligns gold group text to note characters', () => {
    const gold = {
      subjective: 'CHIEF COMPLAINT\n\nKnee pain.\n\nVITALS\n\nBP: 120/80.',
      objective_exam: 'PHYSICAL EXAM\n\nVITALS REVIEWED\n\nNormal.',
      objective_results: 'RESULTS\n\nX-ray normal.',
      assessment_and_plan: 'PLAN\n\nRest.',
    };
    const { groups, unaligned } = goldGroupsByChar(note, gold);
    expect(unaligned).toBe(0);
    expect(groups[note.indexOf('Knee')]).toBe('subjective');
    expect(groups[note.indexOf('Rest')]).toBe('assessment_and_plan');
  });

  it('lets vital signs inherit the group they are written in', () => {
    const predicted = predictedGroupsByChar(note);
    expect(predicted[note.indexOf('BP:')]).toBe('subjective');
    expect(predicted[note.indexOf('Normal.')]).toBe('objective_exam');
    expect(predicted[note.indexOf('X-ray')]).toBe('objective_results');
    expect(predicted[note.indexOf('Rest')]).toBe('assessment_and_plan');
  });
});
