/**
 * FHIR R4 output: a document Bundle whose Composition lists the note's sections (LOINC-coded, with the section
 * text as narrative) and references the resources found in each: Condition (asserted problems only),
 * FamilyMemberHistory (relatives' conditions), MedicationStatement with dosage, AllergyIntolerance, and
 * Observation for vitals and labs. Negated, hypothetical and family mentions are never asserted as the patient's
 * conditions. Resource ids are derived from the note id and item ids, so the same input gives the same bundle.
 */
import { createHash } from 'node:crypto';
import type {
  AllergyIntolerance,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Composition,
  CompositionSection,
  Condition,
  Extension,
  FamilyMemberHistory,
  MedicationStatement,
  Observation,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { sectionDefinition } from './section-catalog.ts';
import type { Allergy, Interpretation, Lab, Medication, Problem, ReferenceRange, Span, StructuredNote, Vital } from './schema.ts';

export interface FhirContext {
  patientId?: string;
  noteId?: string;
  /** ISO 8601 date-time the note was written; defaults to now. */
  authoredAt?: string;
  /** The original note text (the same text the structured note's offsets refer to). */
  text: string;
}

const systems = {
  loinc: 'http://loinc.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  route: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration',
  timing: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
} as const;

/** Extension carrying the character offsets of the words an item was read from. */
export const SOURCE_SPAN_EXTENSION = 'https://clinote.app/fhir/StructureDefinition/source-span';

/** Which extractor stated a condition: the lexicon rules, the learned mention finder or the LLM pass (ItemSource). */
export const EXTRACTED_BY_EXTENSION = 'https://clinote.app/fhir/StructureDefinition/extracted-by';

/** A deterministic UUID (name-based, SHA-1, RFC 4122 version 5 layout) for a resource of this note. */
export function uuidFor(seed: string): string {
  const h = createHash('sha1').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Id of the Composition of a note's FHIR document, so other exports (e.g. final codes) can point at it. */
export const noteCompositionId = (noteId: string) => uuidFor(`${noteId}/composition`);

function spanExtension(span: Span): Extension {
  return {
    url: SOURCE_SPAN_EXTENSION,
    extension: [
      { url: 'start', valueInteger: span.start },
      { url: 'end', valueInteger: span.end },
    ],
  };
}

function extractedByExtension(problem: Problem): Extension {
  return { url: EXTRACTED_BY_EXTENSION, valueCode: problem.source };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const nkaCodes = {
  all: { code: '716186003', display: 'No known allergy (situation)' },
  drug: { code: '409137002', display: 'No known drug allergy (situation)' },
  food: { code: '429625007', display: 'No known food allergy (situation)' },
  environment: { code: '428607008', display: 'No known environmental allergy (situation)' },
} as const;

const familyRoles: Array<[RegExp, string, string]> = [
  [/\bmother|\bmom\b/i, 'MTH', 'mother'],
  [/\bfather|\bdad\b/i, 'FTH', 'father'],
  [/\bsister/i, 'SIS', 'sister'],
  [/\bbrother/i, 'BRO', 'brother'],
  [/\bdaughter/i, 'DAU', 'natural daughter'],
  [/\bson\b|\bsons\b/i, 'SON', 'natural son'],
  [/\bgrandmother/i, 'GRMTH', 'grandmother'],
  [/\bgrandfather/i, 'GRFTH', 'grandfather'],
  [/\baunt/i, 'AUNT', 'aunt'],
  [/\buncle/i, 'UNCLE', 'uncle'],
  [/\bcousin/i, 'COUSN', 'cousin'],
];

function relationshipOf(problem: Problem): CodeableConcept {
  const cue = problem.context.cues.find((c) => c.category === 'family');
  for (const [pattern, code, display] of familyRoles) {
    if (cue && pattern.test(cue.text)) return { coding: [{ system: systems.roleCode, code, display }], text: cue.text };
  }
  return { coding: [{ system: systems.roleCode, code: 'FAMMEMB', display: 'family member' }] };
}

export function toFhirBundle(note: StructuredNote, context: FhirContext): Bundle {
  const noteKey = context.noteId ?? uuidFor(context.text);
  const authoredAt = context.authoredAt ?? new Date().toISOString();
  const subject: Reference<Patient> = context.patientId ? { reference: `Patient/${context.patientId}` } : { display: 'Unidentified patient' };
  const entries: BundleEntry[] = [];
  /** Item id → fullUrl, so Composition sections can reference what they contain. */
  const sectionEntries = new Map<string, Reference[]>();

  const add = (itemId: string, sectionId: string | null, resource: Resource) => {
    const id = uuidFor(`${noteKey}/${itemId}`);
    const fullUrl = `urn:uuid:${id}`;
    entries.push({ fullUrl, resource: { ...resource, id } as Resource });
    if (sectionId) sectionEntries.set(sectionId, [...(sectionEntries.get(sectionId) ?? []), { reference: fullUrl }]);
  };

  for (const p of note.problems) {
    const resource = problemResource(p, subject, authoredAt);
    if (resource) add(p.id, p.sectionId, resource);
  }
  for (const m of note.medications) add(m.id, m.sectionId, medicationResource(m, subject, authoredAt));
  for (const a of note.allergies) add(a.id, a.sectionId, allergyResource(a, subject, authoredAt));
  for (const v of note.vitals) add(v.id, v.sectionId, vitalResource(v, subject, authoredAt));
  for (const l of note.labs) {
    if (!l.context.negated && !l.context.hypothetical) add(l.id, l.sectionId, labResource(l, subject, authoredAt));
  }

  const sections: CompositionSection[] = note.sections.map((s) => {
    const definition = sectionDefinition(s.type);
    const body = context.text.slice(s.start, s.end);
    return {
      title: s.header?.text.replace(/:\s*$/, '') || definition.title,
      ...(definition.loinc ? { code: { coding: [{ system: systems.loinc, code: definition.loinc, display: definition.loincDisplay! }], text: definition.title } } : { code: { text: definition.title } }),
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><pre>${escapeXml(body)}</pre></div>` },
      ...(sectionEntries.get(s.id) ? { entry: sectionEntries.get(s.id) } : {}),
      extension: [spanExtension({ start: s.start, end: s.end, text: body })],
    };
  });

  const compositionId = noteCompositionId(noteKey);
  const composition: Composition = {
    resourceType: 'Composition',
    id: compositionId,
    status: 'preliminary',
    type: { coding: [{ system: systems.loinc, code: '34109-9', display: 'Note' }], text: 'Clinical note' },
    subject,
    date: authoredAt,
    author: [{ display: 'Clinote note structuring (machine-generated, to be verified by a clinician)' }],
    title: 'Structured clinical note',
    section: sections,
  };
  return {
    resourceType: 'Bundle',
    id: uuidFor(`${noteKey}/bundle`),
    type: 'document',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuidFor(`${noteKey}/document`)}` },
    timestamp: authoredAt,
    entry: [{ fullUrl: `urn:uuid:${compositionId}`, resource: composition }, ...entries],
  };
}

function problemResource(p: Problem, subject: Reference<Patient>, recordedDate: string): Condition | FamilyMemberHistory | null {
  const ctx = p.context;
  if (ctx.negated || ctx.hypothetical) return null;
  const code: CodeableConcept = {
    ...(p.candidateCodes[0] ? { coding: [{ system: systems.icd10cm, code: p.candidateCodes[0], display: p.term }] } : {}),
    text: p.text,
  };
  if (ctx.family) {
    return {
      resourceType: 'FamilyMemberHistory',
      status: 'partial',
      patient: subject,
      relationship: relationshipOf(p),
      condition: [{ code }],
      extension: [spanExtension(p), extractedByExtension(p)],
    };
  }
  const diagnosisSections = new Set(['assessment', 'assessment_and_plan', 'diagnoses', 'past_medical_history', 'past_surgical_history']);
  return {
    resourceType: 'Condition',
    // A past condition the note mentions as history is no longer being treated in this encounter.
    clinicalStatus: { coding: [{ system: systems.conditionClinical, code: ctx.historical ? 'inactive' : 'active' }] },
    verificationStatus: { coding: [{ system: systems.conditionVerification, code: ctx.uncertain ? 'provisional' : 'confirmed' }] },
    category: [
      {
        coding: [
          p.sectionType && diagnosisSections.has(p.sectionType)
            ? { system: systems.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }
            : { system: systems.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' },
        ],
      },
    ],
    code,
    subject,
    recordedDate,
    extension: [spanExtension(p), extractedByExtension(p)],
  };
}

const medicationStatus: Record<Medication['status'], MedicationStatement['status']> = {
  active: 'active',
  started: 'active',
  continued: 'active',
  changed: 'active',
  stopped: 'stopped',
  held: 'on-hold',
  completed: 'completed',
  intended: 'intended',
  unknown: 'unknown',
};

/** MedicationStatement.status: a denied drug is not taken, a drug only considered ("will start X if …") intended. */
export function medicationStatementStatus(m: Medication): MedicationStatement['status'] {
  if (m.context.negated) return 'not-taken';
  if (m.context.hypothetical) return 'intended';
  return medicationStatus[m.status];
}

function medicationResource(m: Medication, subject: Reference<Patient>, dateAsserted: string): MedicationStatement {
  const quantity = m.dose ?? m.strength;
  const timingRepeat = {
    ...(m.frequency?.frequency ? { frequency: m.frequency.frequency } : {}),
    ...(m.frequency?.period ? { period: m.frequency.period, periodUnit: m.frequency.periodUnit! } : {}),
    ...(m.frequency?.when.length ? { when: m.frequency.when as Array<'HS' | 'MORN' | 'EVE' | 'AC' | 'PC'> } : {}),
    ...(m.duration ? { boundsDuration: { value: m.duration.value, unit: m.duration.unit, system: systems.ucum, code: m.duration.unit } } : {}),
  };
  const dosageText = [m.strength?.text, m.dose?.text, m.route?.text, m.frequency?.text, m.asNeeded && !m.frequency?.text.match(/prn|needed/i) ? 'as needed' : null, m.duration?.text, ...m.conditions.map((c) => c.text)]
    .filter(Boolean)
    .join(' ');
  return {
    resourceType: 'MedicationStatement',
    status: medicationStatementStatus(m),
    medicationCodeableConcept: {
      ...(m.rxnorm ? { coding: [{ system: systems.rxnorm, code: m.rxnorm.code, display: m.rxnorm.display }] } : {}),
      text: m.name,
    },
    subject,
    dateAsserted,
    ...(m.indication ? { reasonCode: [{ text: m.indication.text }] } : {}),
    dosage: [
      {
        ...(dosageText ? { text: dosageText } : {}),
        ...(Object.keys(timingRepeat).length > 0 || m.frequency?.code
          ? { timing: { ...(Object.keys(timingRepeat).length > 0 ? { repeat: timingRepeat } : {}), ...(m.frequency?.code ? { code: { coding: [{ system: systems.timing, code: m.frequency.code }], text: m.frequency.text } } : {}) } }
          : {}),
        ...(m.asNeeded ? (m.indication ? { asNeededCodeableConcept: { text: m.indication.text } } : { asNeededBoolean: true }) : {}),
        ...(m.route ? { route: { coding: [{ system: systems.route, code: m.route.code, display: m.route.display }], text: m.route.text } } : {}),
        ...(m.conditions.length > 0 ? { additionalInstruction: m.conditions.map((c) => ({ text: c.text })) } : {}),
        ...(quantity ? { doseAndRate: [{ doseQuantity: { value: quantity.value, unit: quantity.text.replace(/^[\d.,/\s-]+/, '') || quantity.unit, system: systems.ucum, code: quantity.unit } }] } : {}),
      },
    ],
    extension: [spanExtension(m)],
  };
}

function allergyResource(a: Allergy, patient: Reference<Patient>, recordedDate: string): AllergyIntolerance {
  const base = {
    resourceType: 'AllergyIntolerance' as const,
    clinicalStatus: { coding: [{ system: systems.allergyClinical, code: 'active' }] },
    verificationStatus: { coding: [{ system: systems.allergyVerification, code: 'confirmed' }] },
    patient,
    recordedDate,
    extension: [spanExtension(a)],
  };
  if (a.noKnownAllergies) {
    const nka = nkaCodes[a.scope ?? 'all'];
    return { ...base, code: { coding: [{ system: systems.snomed, ...nka }], text: a.text } };
  }
  const substance = a.substance!;
  const category = substance.category === 'biologic' ? 'biologic' : substance.category;
  return {
    ...base,
    type: 'allergy',
    ...(category ? { category: [category] } : {}),
    ...(a.severity === 'severe' ? { criticality: 'high' as const } : {}),
    code: {
      ...(substance.system && substance.code ? { coding: [{ system: substance.system, code: substance.code, display: substance.display }] } : {}),
      text: substance.text,
    },
    ...(a.reactions.length > 0
      ? {
          reaction: [
            {
              manifestation: a.reactions.map((r) => ({
                ...(r.system && r.code ? { coding: [{ system: r.system, code: r.code, ...(r.codeDisplay ? { display: r.codeDisplay } : {}) }] } : {}),
                text: r.text,
              })),
              ...(a.severity ? { severity: a.severity } : {}),
            },
          ],
        }
      : {}),
  };
}

/** HL7 v3 ObservationInterpretation codes for the interpretation against the reference range. */
const interpretationCodes: Record<Interpretation, { code: string; display: string }> = {
  normal: { code: 'N', display: 'Normal' },
  low: { code: 'L', display: 'Low' },
  high: { code: 'H', display: 'High' },
  'critical-low': { code: 'LL', display: 'Critical low' },
  'critical-high': { code: 'HH', display: 'Critical high' },
};

/** Observation.referenceRange and .interpretation from an item's range and its interpretation against it. */
function rangeAndInterpretation(range: ReferenceRange | undefined, interpretation: Interpretation | undefined): Pick<Observation, 'referenceRange' | 'interpretation'> {
  const quantity = (value: number) => ({ value, unit: range!.unit, system: systems.ucum, code: range!.unit });
  return {
    ...(range
      ? { referenceRange: [{ ...(range.low !== undefined ? { low: quantity(range.low) } : {}), ...(range.high !== undefined ? { high: quantity(range.high) } : {}), text: range.text }] }
      : {}),
    ...(interpretation ? { interpretation: [{ coding: [{ system: systems.interpretation, ...interpretationCodes[interpretation] }] }] } : {}),
  };
}

function vitalResource(v: Vital, subject: Reference<Patient>, effectiveDateTime: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'preliminary',
    category: [{ coding: [{ system: systems.observationCategory, code: 'vital-signs', display: 'Vital Signs' }] }],
    code: { coding: [{ system: systems.loinc, code: v.loinc, display: v.display }], text: v.text },
    subject,
    effectiveDateTime,
    ...(v.components.length > 0
      ? {
          component: v.components.map((c) => ({
            code: { coding: [{ system: systems.loinc, code: c.loinc, display: c.display }] },
            valueQuantity: { value: c.value, unit: 'mmHg', system: systems.ucum, code: c.unit },
          })),
        }
      : { valueQuantity: { value: v.value, unit: v.unitDisplay, system: systems.ucum, code: v.unit } }),
    ...rangeAndInterpretation(v.referenceRange, v.interpretation),
    extension: [spanExtension(v)],
  };
}

const interpretationDisplay = { H: 'High', L: 'Low', N: 'Normal', A: 'Abnormal' } as const;

function labResource(l: Lab, subject: Reference<Patient>, effectiveDateTime: string): Observation {
  // "Urinalysis pending": the test is ordered, its result not in yet (Observation.status registered, no value).
  const pending = l.value === null && l.valueText === 'pending';
  return {
    resourceType: 'Observation',
    status: pending ? 'registered' : 'preliminary',
    category: [{ coding: [{ system: systems.observationCategory, code: 'laboratory', display: 'Laboratory' }] }],
    code: { coding: [{ system: systems.loinc, code: l.loinc, display: l.display }], text: l.name.text },
    subject,
    effectiveDateTime,
    ...(pending
      ? {}
      : l.value !== null && !l.valueText
        ? { valueQuantity: { value: l.value, ...(l.unit ? { unit: l.unitDisplay ?? l.unit, system: systems.ucum, code: l.unit } : {}) } }
        : { valueString: l.valueText ?? String(l.value) }),
    // The interpretation against the reference range wins; a flag written in the note stands in when there is none.
    ...(l.referenceRange ? rangeAndInterpretation(l.referenceRange, l.interpretation) : {}),
    ...(!l.interpretation && l.flag ? { interpretation: [{ coding: [{ system: systems.interpretation, code: l.flag, display: interpretationDisplay[l.flag] }] }] } : {}),
    extension: [spanExtension(l)],
  };
}
