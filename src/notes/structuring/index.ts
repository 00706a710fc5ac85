/**
 * Note structuring (issue 3): the public surface of src/clinical. Pure functions, no HTTP, queue or database
 * knowledge; the API, CLI and note pipeline call these.
 */
export { structureNote, structureNoteWithLearnedFinder, type LearnedFinder, type StructureOptions } from './structure.ts';
export { problemWording } from './problems.ts';
export {
  STRUCTURE_SCHEMA_VERSION,
  structuredNoteSchema,
  sectionSchema,
  problemSchema,
  medicationSchema,
  allergySchema,
  vitalSchema,
  labSchema,
  labOrderSchema,
  mentionContextSchema,
  type StructuredNote,
  type Section,
  type Problem,
  type Medication,
  type Allergy,
  type Vital,
  type Lab,
  type LabOrder,
  type MentionContext,
  type Span,
  type ItemSource,
} from './schema.ts';
export { sectionDefinition, sectionTypes, type SectionType, type SectionDefinition } from './section-catalog.ts';
export { applyDictationCommands, type ProcessedDictation, type OffsetMap } from './dictation.ts';
export { toFhirBundle, type FhirContext } from './fhir.ts';
export { transcribeAudio, sttConfigFromEnv, type SttConfig, type Transcription } from './stt.ts';
export { augmentWithLlm, llmConfigFromEnv, type LlmConfig } from './llm.ts';
export { lexicons } from './lexicons.ts';
export { assertionOf, type Assertion } from './context.ts';
export { loadSectionClassifier } from './section-classifier.ts';
