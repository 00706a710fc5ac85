import { describe, expect, it } from 'vitest';
import { classifySectionContent } from './section-classifier.ts';
import { sectionTypeForHeader } from './section-catalog.ts';
import { detectSections, headerType } from './sections.ts';

describe('section headers', () => {
  it('maps header wordings and abbreviations onto canonical sections', () => {
    expect(sectionTypeForHeader('HISTORY OF PRESENT ILLNESS')).toBe('history_of_present_illness');
    expect(sectionTypeForHeader('HPI:')).toBe('history_of_present_illness');
    expect(sectionTypeForHeader('PAST SURGICAL HISTORY')).toBe('past_surgical_history');
    expect(sectionTypeForHeader('ASSESSMENT AND PLAN')).toBe('assessment_and_plan');
    expect(sectionTypeForHeader('A/P')).toBe('assessment_and_plan');
    expect(sectionTypeForHeader('VITALS REVIEWED')).toBe('vital_signs');
    expect(sectionTypeForHeader('ALLERGIES TO MEDICATIONS')).toBe('allergies');
    expect(sectionTypeForHeader('Constitutional')).toBeNull();
    // From the medspaCy section list, which the keyword rules do not cover.
    expect(headerType('Micro')).toBe('results');
  });

  it('detects ACI-BENCH headers on their own lines and ignores bulleted labels', () => {
    const text = 'CHIEF COMPLAINT\n\nRight knee pain.\n\nPHYSICAL EXAM\n\n• Neck: Supple.\n• Musculoskeletal: Tenderness.\n\nASSESSMENT AND PLAN\n\n• Medical Treatment: Ibuprofen.';
    const sections = detectSections(text);
    expect(sections.map((s) => [s.type, text.slice(s.headerStart!, s.headerEnd!)])).toEqual([
      ['chief_complaint', 'CHIEF COMPLAINT'],
      ['physical_exam', 'PHYSICAL EXAM'],
      ['assessment_and_plan', 'ASSESSMENT AND PLAN'],
    ]);
    expect(text.slice(sections[0]!.start, sections[0]!.end)).toBe('CHIEF COMPLAINT\n\nRight knee pain.');
  });

  it('detects MTSamples inline headers after commas', () => {
    const text = 'PREOPERATIVE DIAGNOSIS:, Vitreous hemorrhage, right eye.,POSTOPERATIVE DIAGNOSIS:, Same.,PROCEDURE:, Vitrectomy, right eye.';
    expect(detectSections(text).map((s) => s.type)).toEqual(['diagnoses', 'diagnoses', 'procedures']);
  });
});

describe('unheaded paragraphs', () => {
  // Section texts from the MTS-Dialog training set.
  it('types paragraphs by content', () => {
    expect(classifySectionContent('No known drug allergies.').type).toBe('allergies');
    expect(classifySectionContent('He denies tobacco or alcohol.  He has what sounds like a data entry computer job.').type).toBe('social_history');
    expect(classifySectionContent('The patient is a 76-year-old white female who presents to the clinic today originally for hypertension and a med check.').type).toBe('history_of_present_illness');
  });

  it('classifies a note without headers paragraph by paragraph', () => {
    const text = 'The patient is a 45-year-old man who presents today with two weeks of cough and fever.\n\nNo known drug allergies.';
    const sections = detectSections(text);
    expect(sections.map((s) => [s.type, s.headerStart])).toEqual([
      ['history_of_present_illness', null],
      ['allergies', null],
    ]);
  });
});
