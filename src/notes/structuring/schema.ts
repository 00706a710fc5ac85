/**
 * The structured-note JSON schema (versioned). The zod schemas are the single definition: the TypeScript types
 * are inferred from them, the API can publish them in OpenAPI, and LLM output is validated against parts of them.
 *
 * Offsets: every `start`/`end` is a UTF-16 character offset into the ORIGINAL input text (for dictation, the raw
 * transcript before spoken punctuation was applied), end exclusive; `text` is `input.slice(start, end)`.
 *
 * Version history: 1.0.0 — first release. 1.1.0 — medications carry `rxnorm` (the ingredient coding); labs and vitals
 * carry a short name, a human unit, a reference range and an interpretation; vitals carry the measure's name span;
 * allergy reactions carry the note's words (`text`) beside the coded display. 1.2.0 — medication status `intended`
 * (planned or only considered); a combination product's `rxnorm` is RxNorm's multiple-ingredient concept; a
 * medication's span covers its written form ("insulin infusion"); `labOrders`, tests named without a result. 1.3.0 —
 * problems found by the learned mention finder (`source: 'ner'`, `matchedBy: 'ner'`); a problem whose span the finder
 * corrected keeps the lexicon's words in `wording`.
 */
import { z } from 'zod';
import { sectionTypes } from './section-catalog.ts';

export const STRUCTURE_SCHEMA_VERSION = '1.3.0';

export const itemSourceSchema = z
  .enum(['rules', 'ner', 'llm'])
  .describe('Who produced the item: the on-device rules and lexicons, the on-device learned mention finder (problems only), or the optional LLM pass (span-verified).');

export const spanSchema = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    text: z.string(),
  })
  .describe('A stretch of the original text.');

const confidence = z.number().min(0).max(1).describe('0–1: how sure the extractor is that the item is right.');

export const sectionTypeSchema = z.enum(sectionTypes);

export const sectionSchema = z.object({
  id: z.string(),
  type: sectionTypeSchema,
  title: z.string().describe('Canonical title of the section type.'),
  loinc: z.string().nullable().describe('LOINC document-section code (C-CDA / FHIR Composition.section.code).'),
  header: spanSchema.nullable().describe('The header as written; null for an unheaded stretch classified by content.'),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  detection: z.enum(['header', 'content']),
  confidence,
  source: itemSourceSchema,
});

export const contextCueSchema = spanSchema.extend({
  category: z.enum(['negated', 'uncertain', 'historical', 'hypothetical', 'family', 'section']),
});

export const mentionContextSchema = z
  .object({
    negated: z.boolean(),
    uncertain: z.boolean(),
    historical: z.boolean(),
    hypothetical: z.boolean(),
    family: z.boolean(),
    assertion: z.enum(['present', 'absent', 'possible']).describe('negated → absent; uncertain → possible.'),
    temporality: z.enum(['current', 'historical', 'hypothetical']),
    experiencer: z.enum(['patient', 'family']),
    cues: z.array(contextCueSchema).describe('The trigger phrases (or the section) that set each flag.'),
  })
  .describe('ConText-style assertion, temporality and experiencer of a mention.');

export const problemSchema = spanSchema.extend({
  id: z.string(),
  category: z.enum(['diagnosis', 'symptom', 'finding', 'external_cause']),
  term: z.string().describe('The lexicon term the mention matched (an ICD-10-CM title, index phrase or expansion).'),
  candidateCodes: z.array(z.string()).describe('ICD-10-CM codes the term maps to, most specific first; for ranking by the coder.'),
  matchedBy: z.enum(['tabular', 'inclusion', 'neoplasm', 'drug-table', 'external-cause', 'synonym', 'abbreviation', 'ner', 'llm']),
  wording: spanSchema
    .optional()
    .describe("The lexicon's words for the condition (with the rules' modifiers) when the learned mention finder corrected the span; coding reads these. Absent: the span itself."),
  sectionId: z.string().nullable(),
  sectionType: sectionTypeSchema.nullable(),
  context: mentionContextSchema,
  confidence,
  source: itemSourceSchema,
});

export const quantitySchema = spanSchema.extend({
  value: z.number(),
  /** UCUM unit (mg, mL, [iU], {tablet} …). */
  unit: z.string(),
});

export const medicationSchema = spanSchema.extend({
  id: z.string(),
  name: z.string().describe('Drug name as written (generic or brand).'),
  ingredient: z.string().describe('Ingredient name(s) the name stands for.'),
  rxcui: z.string().nullable().describe('RxNorm ingredient id when the name maps to exactly one known ingredient.'),
  rxcuis: z.array(z.string()).describe('RxNorm ingredient ids of every ingredient the name stands for (several for a combination brand).'),
  rxnorm: z
    .object({ code: z.string(), display: z.string() })
    .nullable()
    .describe('The RxNorm ingredient coding (RXCUI and ingredient name; for a combination product its multiple-ingredient concept, "buprenorphine / naloxone") exported to FHIR; null when the shared RxNorm lists have no code.'),
  brand: z.boolean(),
  strength: quantitySchema.nullable().describe('Amount of drug per unit or per administration: "25 mg".'),
  dose: quantitySchema.nullable().describe('Number of units per administration: "2 tablets", "1 puff".'),
  form: spanSchema.nullable().describe('Dose form: tablet, capsule, inhaler, patch, solution …'),
  route: spanSchema.extend({ code: z.string(), display: z.string() }).nullable().describe('HL7 v3 RouteOfAdministration code.'),
  frequency: spanSchema
    .extend({
      code: z.string().nullable().describe('HL7 GTSAbbreviation / TimingEvent code when one fits (BID, Q6H, HS …).'),
      frequency: z.number().nullable(),
      period: z.number().nullable(),
      periodUnit: z.enum(['h', 'd', 'wk', 'mo']).nullable(),
      when: z.array(z.string()),
    })
    .nullable(),
  asNeeded: z.boolean(),
  duration: quantitySchema.nullable(),
  indication: spanSchema.nullable(),
  status: z
    .enum(['active', 'started', 'stopped', 'continued', 'held', 'changed', 'completed', 'intended', 'unknown'])
    .describe('intended: planned or only considered ("Will start amitriptyline if …", "Consider methotrexate").'),
  statusCue: spanSchema.nullable(),
  conditions: z.array(spanSchema).describe('Conditional instructions: "hold if HR < 60".'),
  sectionId: z.string().nullable(),
  sectionType: sectionTypeSchema.nullable(),
  context: mentionContextSchema,
  confidence,
  source: itemSourceSchema,
});

export const codedSpanSchema = spanSchema.extend({
  display: z.string(),
  system: z.string().nullable(),
  code: z.string().nullable(),
});

export const allergySchema = spanSchema.extend({
  id: z.string(),
  noKnownAllergies: z.boolean().describe('An explicit "NKDA" / "no known allergies" statement.'),
  scope: z.enum(['all', 'drug', 'food', 'environment']).nullable().describe('For no-known-allergy statements: what was ruled out.'),
  substance: codedSpanSchema
    .extend({ category: z.enum(['medication', 'food', 'environment', 'biologic']).nullable(), rxcui: z.string().nullable() })
    .nullable(),
  reactions: z
    .array(codedSpanSchema.extend({ codeDisplay: z.string().nullable().describe('The coded term ("Wheal (finding)") beside `code`.') }))
    .describe('Reactions in the note\'s words: `display` is what the note says ("hives"), with the SNOMED CT code kept alongside.'),
  severity: z.enum(['mild', 'moderate', 'severe']).nullable(),
  sectionId: z.string().nullable(),
  confidence,
  source: itemSourceSchema,
});

export const referenceRangeSchema = z
  .object({
    low: z.number().optional(),
    high: z.number().optional(),
    unit: z.string().describe('UCUM unit of low and high.'),
    text: z.string().describe('The range for people: "0.6–1.3 mg/dL".'),
  })
  .describe('Adult reference range (src/notes/structuring/reference-ranges.ts documents the table and its sources).');

export const interpretationSchema = z
  .enum(['normal', 'low', 'high', 'critical-low', 'critical-high'])
  .describe('The value against the reference range and critical limits (FHIR: HL7 v3 ObservationInterpretation N, L, H, LL, HH).');

export const vitalKinds = [
  'blood_pressure',
  'heart_rate',
  'respiratory_rate',
  'temperature',
  'oxygen_saturation',
  'weight',
  'height',
  'bmi',
  'pain_score',
] as const;

export const vitalSchema = spanSchema.extend({
  id: z.string(),
  kind: z.enum(vitalKinds),
  name: spanSchema.nullable().describe('The measure\'s name as written ("SpO2", "BP"); null for a bare "128/82 mmHg".'),
  loinc: z.string(),
  display: z.string(),
  shortName: z.string().describe('Short name for charts: "SpO2", "Heart rate".'),
  value: z.number().describe('Normalised value in `unit` (blood pressure: systolic).'),
  unit: z.string().describe('UCUM unit.'),
  unitDisplay: z.string().describe('The unit for people: "°C", "mmHg", "/min".'),
  referenceRange: referenceRangeSchema.optional(),
  interpretation: interpretationSchema.optional().describe('Blood pressure: the worse of systolic and diastolic.'),
  components: z
    .array(z.object({ loinc: z.string(), display: z.string(), value: z.number(), unit: z.string() }))
    .describe('Blood pressure: systolic and diastolic.'),
  original: z.object({ value: z.number(), unit: z.string().nullable() }).describe('The value and unit as written.'),
  sectionId: z.string().nullable(),
  confidence,
  source: itemSourceSchema,
});

export const labSchema = spanSchema.extend({
  id: z.string(),
  name: spanSchema.describe('The test name as written.'),
  loinc: z.string(),
  display: z.string().describe('LOINC long common name.'),
  shortName: z.string().describe('Short name for charts: "Creatinine", "eGFR", "Troponin I".'),
  value: z.number().nullable(),
  valueText: z.string().nullable().describe('Qualitative result when there is no number: "elevated", "negative" …'),
  unit: z.string().nullable().describe('UCUM unit when written.'),
  unitDisplay: z.string().nullable().describe('The unit for people: "mL/min/1.73 m²", "×10³/µL".'),
  referenceRange: referenceRangeSchema.optional(),
  interpretation: interpretationSchema.optional(),
  flag: z.enum(['H', 'L', 'N', 'A']).nullable().describe('HL7 v2 abnormal flag: high, low, normal, abnormal.'),
  sectionId: z.string().nullable(),
  context: mentionContextSchema,
  confidence,
  source: itemSourceSchema,
});

export const labOrderSchema = spanSchema
  .extend({
    id: z.string(),
    name: spanSchema.describe('The test name as written.'),
    loinc: z.string(),
    display: z.string().describe('LOINC long common name.'),
    shortName: z.string(),
    cue: spanSchema.describe('The words that order it: "sent", "to be excluded with", "yearly".'),
    sectionId: z.string().nullable(),
    confidence,
    source: itemSourceSchema,
  })
  .describe('A test named without a result, ordered or planned ("cortisol sent", "A1c yearly"); not an observation.');

export const structuredNoteSchema = z
  .object({
    schemaVersion: z.literal(STRUCTURE_SCHEMA_VERSION),
    inputForm: z.enum(['typed', 'dictation']),
    textLength: z.number().int().nonnegative().describe('Length of the original input text.'),
    normalizedText: z
      .string()
      .nullable()
      .describe('Dictation only: the transcript with spoken punctuation and commands applied (offsets still refer to the raw transcript).'),
    sections: z.array(sectionSchema),
    problems: z.array(problemSchema),
    medications: z.array(medicationSchema),
    allergies: z.array(allergySchema),
    vitals: z.array(vitalSchema),
    labs: z.array(labSchema),
    labOrders: z.array(labOrderSchema),
  })
  .describe('A clinical note structured into sections, problems, medications, allergies, vitals and labs.');

export type ItemSource = z.infer<typeof itemSourceSchema>;
export type Span = z.infer<typeof spanSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type ContextCue = z.infer<typeof contextCueSchema>;
export type MentionContext = z.infer<typeof mentionContextSchema>;
export type Problem = z.infer<typeof problemSchema>;
export type Quantity = z.infer<typeof quantitySchema>;
export type Medication = z.infer<typeof medicationSchema>;
export type Allergy = z.infer<typeof allergySchema>;
export type VitalKind = (typeof vitalKinds)[number];
export type Vital = z.infer<typeof vitalSchema>;
export type Lab = z.infer<typeof labSchema>;
export type ReferenceRange = z.infer<typeof referenceRangeSchema>;
export type Interpretation = z.infer<typeof interpretationSchema>;
export type StructuredNote = z.infer<typeof structuredNoteSchema>;
export type LabOrder = z.infer<typeof labOrderSchema>;
