/**
 * The canonical note sections Clinote maps every header onto, with the LOINC document-section codes used by
 * C-CDA and FHIR Composition.section (http://hl7.org/fhir/ValueSet/doc-section-codes where one exists).
 */

export const sectionTypes = [
  'chief_complaint',
  'history_of_present_illness',
  'past_medical_history',
  'past_surgical_history',
  'medications',
  'allergies',
  'family_history',
  'social_history',
  'obstetric_gynecologic_history',
  'other_history',
  'review_of_systems',
  'subjective',
  'objective',
  'vital_signs',
  'physical_exam',
  'results',
  'imaging',
  'procedures',
  'hospital_course',
  'diagnoses',
  'assessment',
  'plan',
  'assessment_and_plan',
  'immunizations',
  'instructions',
  'disposition',
  'other',
] as const;

export type SectionType = (typeof sectionTypes)[number];

export interface SectionDefinition {
  type: SectionType;
  title: string;
  /** LOINC section code; null where LOINC has no section code for the concept. */
  loinc: string | null;
  loincDisplay: string | null;
}

const definitions: Record<SectionType, Omit<SectionDefinition, 'type'>> = {
  chief_complaint: { title: 'Chief complaint', loinc: '10154-3', loincDisplay: 'Chief complaint Narrative - Reported' },
  history_of_present_illness: { title: 'History of present illness', loinc: '10164-2', loincDisplay: 'History of Present illness Narrative' },
  past_medical_history: { title: 'Past medical history', loinc: '11348-0', loincDisplay: 'History of Past illness Narrative' },
  past_surgical_history: { title: 'Past surgical history', loinc: '47519-4', loincDisplay: 'History of Procedures Document' },
  medications: { title: 'Medications', loinc: '10160-0', loincDisplay: 'History of Medication use Narrative' },
  allergies: { title: 'Allergies', loinc: '48765-2', loincDisplay: 'Allergies and adverse reactions Document' },
  family_history: { title: 'Family history', loinc: '10157-6', loincDisplay: 'History of family member diseases Narrative' },
  social_history: { title: 'Social history', loinc: '29762-2', loincDisplay: 'Social history Narrative' },
  obstetric_gynecologic_history: { title: 'Obstetric and gynecologic history', loinc: '10162-6', loincDisplay: 'History of pregnancies Narrative' },
  other_history: { title: 'Other history', loinc: '11329-0', loincDisplay: 'History general Narrative - Reported' },
  review_of_systems: { title: 'Review of systems', loinc: '10187-3', loincDisplay: 'Review of systems Narrative - Reported' },
  subjective: { title: 'Subjective', loinc: '61150-9', loincDisplay: 'Subjective Narrative' },
  objective: { title: 'Objective', loinc: '61149-1', loincDisplay: 'Objective Narrative' },
  vital_signs: { title: 'Vital signs', loinc: '8716-3', loincDisplay: 'Vital signs' },
  physical_exam: { title: 'Physical exam', loinc: '29545-1', loincDisplay: 'Physical findings Narrative' },
  results: { title: 'Results', loinc: '30954-2', loincDisplay: 'Relevant diagnostic tests/laboratory data Narrative' },
  imaging: { title: 'Imaging', loinc: '18782-3', loincDisplay: 'Radiology Study observation (narrative)' },
  procedures: { title: 'Procedures', loinc: '29554-3', loincDisplay: 'Procedure Narrative' },
  hospital_course: { title: 'Hospital course', loinc: '8648-8', loincDisplay: 'Hospital course Narrative' },
  diagnoses: { title: 'Diagnoses', loinc: '29548-5', loincDisplay: 'Diagnosis Narrative' },
  assessment: { title: 'Assessment', loinc: '51848-0', loincDisplay: 'Evaluation note' },
  plan: { title: 'Plan', loinc: '18776-5', loincDisplay: 'Plan of care note' },
  assessment_and_plan: { title: 'Assessment and plan', loinc: '51847-2', loincDisplay: 'Evaluation + Plan note' },
  immunizations: { title: 'Immunizations', loinc: '11369-6', loincDisplay: 'History of Immunization Narrative' },
  instructions: { title: 'Instructions', loinc: '69730-0', loincDisplay: 'Instructions' },
  disposition: { title: 'Disposition', loinc: null, loincDisplay: null },
  other: { title: 'Other', loinc: null, loincDisplay: null },
};

export function sectionDefinition(type: SectionType): SectionDefinition {
  return { type, ...definitions[type] };
}

/** Sections whose findings are, by default, the patient's past rather than the present encounter. */
export const historicalSections: ReadonlySet<SectionType> = new Set([
  'past_medical_history',
  'past_surgical_history',
  'social_history',
  'obstetric_gynecologic_history',
]);

/**
 * Header wording → section, by keyword. Order matters: the first rule whose pattern matches wins, so
 * specific phrasings ("assessment and plan", "past surgical") come before general ones ("plan", "history").
 */
const headerRules: Array<[RegExp, SectionType]> = [
  [/\b(chief|presenting) complaints?\b|^cc$|\breason for (visit|consult|consultation|referral|admission|evaluation|exam|examination|this examination)\b|^complaints?$/, 'chief_complaint'],
  [/\bhistory of (the )?present(ing)? illness\b|^hpi\b|^history of present\b|^interval history\b|^present illness\b|^clinical preamble\b|^clinical indication\b|^indication\b/, 'history_of_present_illness'],
  [/\b(assessment|impression)s?\s*(and|&|\/)\s*(plans?|recommendations?)\b|^a\s*\/\s*p$|^a&p$/, 'assessment_and_plan'],
  [/\bfamily\b|^fh(x)?$/, 'family_history'],
  [/\bsocial\b|^sh(x)?$|\bhabits\b|\bsubstance\b|\btobacco\b/, 'social_history'],
  [/\bsurgical\b|\bsurgeries\b|\boperations?\b.*\bhistory\b|^psh(x)?$|\bpast procedures?\b/, 'past_surgical_history'],
  [/\ballerg|\badverse reactions?\b/, 'allergies'],
  [/\bmedications?\b|\bmeds\b|\bdrugs?\b|\bprescriptions?\b/, 'medications'],
  [/\bimmuni[sz]ations?\b|\bvaccin/, 'immunizations'],
  [/\bobstetric|\bgyn|\bmenstrual\b|\bpregnanc|^ob\b/, 'obstetric_gynecologic_history'],
  [/\breview of systems?\b|^ros\b|^systems review\b/, 'review_of_systems'],
  [/\bvital|^vs$|^vitals?\b/, 'vital_signs'],
  [/\bphysical\b|\bexam(ination)?\b|^pe$|^physical findings\b|^general appearance\b/, 'physical_exam'],
  [/\b(radiology|imaging|x-?rays?|ct|mri|ultrasound|echocardiogram|ekg|ecg)\b/, 'imaging'],
  [/\blab(s|oratory)?\b|\bresults?\b|\bdata\b|\bstudies\b|\bfindings\b|\bmicro(biology)?\b|\bpathology\b/, 'results'],
  [/\b(hospital|ed|er|emergency department|clinical) course\b|^course\b/, 'hospital_course'],
  [/\bprocedures?\b|\boperation\b|\banesthesia\b|\bestimated blood loss\b|\bcomplications\b|\bspecimens?\b|\bfindings at surgery\b|\bdescription of (the )?procedure\b/, 'procedures'],
  [/\bdiagnos[ie]s\b|\bproblem list\b|\bproblems\b|^dx\b/, 'diagnoses'],
  [/\bassessment\b|\bimpressions?\b|\bsummary\b|\bevaluation\b/, 'assessment'],
  [/\bplans?\b|\brecommendations?\b|\bfollow[- ]?up\b|\btreatment\b|\bdischarge orders?\b/, 'plan'],
  [/\binstructions?\b|\beducation\b|\bcounsel/, 'instructions'],
  [/\bdisposition\b|\bcondition (on|at) discharge\b/, 'disposition'],
  [/\bpast (medical )?history\b|\bmedical history\b|^pmh(x)?$|^history$|^past history\b|\bbirth history\b|\bdevelopmental history\b|\bhistory\b/, 'past_medical_history'],
  [/^subjective\b/, 'subjective'],
  [/^objective\b/, 'objective'],
];

const headerCache = new Map<string, SectionType | null>();
const maxCachedHeaders = 50_000;

/** Section a header's wording names, or null when it names none (e.g. "Neck", "Constitutional"). */
export function sectionTypeForHeader(header: string): SectionType | null {
  let type = headerCache.get(header);
  if (type === undefined) {
    type = classifyHeader(header);
    // Bounded: candidate headers are short phrases that repeat across notes.
    if (headerCache.size >= maxCachedHeaders) headerCache.clear();
    headerCache.set(header, type);
  }
  return type;
}

function classifyHeader(header: string): SectionType | null {
  const h = header
    .toLowerCase()
    .replace(/[:\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (h.length === 0 || h.length > 60) return null;
  for (const [pattern, type] of headerRules) if (pattern.test(h)) return type;
  return null;
}
