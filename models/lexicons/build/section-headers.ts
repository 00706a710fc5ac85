/**
 * Section header literals from medspaCy's section_patterns_en.json (MIT) whose wording the keyword rules in
 * src/notes/structuring/section-catalog.ts do not recognise ("Micro:", "TECHNIQUE:", "Consult"), mapped onto the
 * canonical sections. Headers the keyword rules do recognise need no entry.
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { sectionTypeForHeader, type SectionType } from '../../../src/notes/structuring/section-catalog.ts';
import { readShared } from './sources.ts';

const medspacyCategories: Record<string, SectionType | null> = {
  addendum: 'other',
  allergy: 'allergies',
  allergies: 'allergies',
  chief_complaint: 'chief_complaint',
  comments: 'other',
  patient_education: 'instructions',
  diagnoses: 'diagnoses',
  family_history: 'family_history',
  history_of_present_illness: 'history_of_present_illness',
  hospital_course: 'hospital_course',
  imaging: 'imaging',
  labs_and_studies: 'results',
  medications: 'medications',
  // "Neuro:" heads a line inside an exam or a review of systems, not a section of its own.
  neurological: null,
  observation_and_plan: 'assessment_and_plan',
  other: 'other',
  past_medical_history: 'past_medical_history',
  patient_instructions: 'instructions',
  physical_exam: 'physical_exam',
  problem_list: 'diagnoses',
  reason_for_examination: 'chief_complaint',
  signature: 'other',
  social_history: 'social_history',
};

export function buildSectionHeaders(): Array<[string, SectionType]> {
  const rules = (JSON.parse(readShared('lexicons', 'medspacy', 'section_patterns_en.json')) as {
    section_rules: Array<{ literal: string; category: string }>;
  }).section_rules;
  const headers = new Map<string, SectionType>();
  for (const rule of rules) {
    const literal = rule.literal.replace(/:\s*$/, '').trim();
    if (sectionTypeForHeader(literal)) continue;
    const type = medspacyCategories[rule.category];
    const key = matchKey(literal);
    if (type && key && !headers.has(key)) headers.set(key, type);
  }
  return [...headers.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
