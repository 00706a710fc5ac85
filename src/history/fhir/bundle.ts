/**
 * FHIR R4 bundles (transaction, collection, searchset; Synthea writes transaction bundles) → patient records.
 * Each encounter becomes one readable note listing its problems, medications, results, procedures … with a
 * structured fact per coded entry linked to its line; entries with no encounter (allergies, usually) go into
 * one patient-level record note. Attached documents (DocumentReference, DiagnosticReport.presentedForm) become
 * notes of their own, whose facts come from note structuring like any typed note.
 *
 * A resource that cannot be used (no code, a subject outside the bundle, an attachment without text) is
 * reported as an issue and skipped; the rest of the bundle is still imported.
 */
import type {
  AllergyIntolerance,
  Attachment,
  Bundle,
  CarePlan,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Procedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';

import { fhirConceptKey } from '../concepts.ts';

import { formatNumber, isoDate, RecordTextBuilder } from './record-text.ts';
import type { FactDraft, FactKind } from '../types.ts';
import type { Sex } from '../../patients/types.ts';

/** Note kind of the notes rendered from coded records: their facts come from the import, not from structuring. */
export const FHIR_RECORD_NOTE_KIND = 'fhir-record';

export interface ImportIssue {
  /** `Type/id` of the resource, or `Bundle` for the file as a whole. */
  resource: string;
  message: string;
}

export interface RecordDocument {
  /** Stable identity of the source unit (`fhir:Encounter/…`), the key of idempotent re-import. */
  sourceKey: string;
  kind: string;
  authoredAt: Date;
  author: string;
  text: string;
  /** Facts from coded data with spans into `text`; null for narrative documents (structuring finds theirs). */
  facts: FactDraft[] | null;
  /** The FHIR Encounter the document belongs to, which becomes (or finds) the patient's Clinote encounter. */
  encounter?: RecordEncounter | undefined;
}

export interface RecordEncounter {
  /** The FHIR Encounter's id: the encounter's external id. */
  externalId: string;
  type: 'outpatient' | 'ED' | 'inpatient';
  start: Date;
  end: Date | null;
}

/** Emergency → ED; inpatient classes → inpatient; ambulatory, observation, short stay, virtual, home → outpatient. */
function recordEncounter(encounter: Encounter, start: Date): RecordEncounter {
  const code = encounter.class?.code ?? '';
  const type = code === 'EMER' ? 'ED' : ['IMP', 'ACUTE', 'NONAC'].includes(code) ? 'inpatient' : 'outpatient';
  const end = parseDate(encounter.period?.end);
  return { externalId: encounter.id ?? '', type, start, end: end && end >= start ? end : null };
}

export interface PatientRecord {
  sourceKey: string;
  mrn: string;
  name: string | null;
  birthDate: string | null;
  sex: Sex | null;
  documents: RecordDocument[];
}

export interface BundleContents {
  patients: PatientRecord[];
  issues: ImportIssue[];
  /** Resources of types the history does not use (claims, organizations …), by type. */
  ignored: Record<string, number>;
}

type Clinical =
  | Condition
  | MedicationRequest
  | MedicationStatement
  | AllergyIntolerance
  | Observation
  | DiagnosticReport
  | Procedure
  | Immunization
  | CarePlan
  | DocumentReference;

const clinicalTypes = new Set<string>([
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Observation',
  'DiagnosticReport',
  'Procedure',
  'Immunization',
  'CarePlan',
  'DocumentReference',
]);
/** Resources read only to resolve references from the ones above. */
const supportingTypes = new Set(['Patient', 'Encounter', 'Practitioner', 'Organization', 'Medication']);

/** Thrown for a resource the import cannot use; becomes an issue, never stops the import. */
class UnusableResource extends Error {}

const refKey = (r: Resource) => `${r.resourceType}/${r.id ?? '?'}`;

function conceptName(concept: CodeableConcept | undefined): string | null {
  const name = concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? null;
  return name?.trim() || null;
}

function conceptKeys(concept: CodeableConcept | undefined): string[] {
  return (concept?.coding ?? []).map((c) => fhirConceptKey(c.system, c.code)).filter((k): k is string => k !== null);
}

function requiredConcept(concept: CodeableConcept | undefined, what: string): { name: string; codes: string[] } {
  const name = conceptName(concept);
  if (!name) throw new UnusableResource(`no ${what} (code text or display)`);
  return { name, codes: conceptKeys(concept) };
}

const statusCode = (concept: CodeableConcept | undefined) => concept?.coding?.[0]?.code ?? null;

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function personName(resource: Patient | Practitioner): string | null {
  const n = resource.name?.find((x) => x.use === 'official') ?? resource.name?.[0];
  if (!n) return null;
  const text = n.text ?? [...(n.prefix ?? []), ...(n.given ?? []), n.family].filter(Boolean).join(' ');
  return text.trim() || null;
}

const sexOf = (gender: Patient['gender']): Sex | null => (gender ? (gender as Sex) : null);

function attachmentText(attachment: Attachment | undefined): string {
  if (!attachment) throw new UnusableResource('no attachment');
  const type = (attachment.contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (!attachment.data) throw new UnusableResource(`attachment has no inline data${attachment.url ? ' (only a URL)' : ''}`);
  if (!['text/plain', 'text/markdown', 'text/html'].includes(type)) throw new UnusableResource(`attachment type ${type} is not text`);
  let text = Buffer.from(attachment.data, 'base64').toString('utf8');
  if (type === 'text/html') text = text.replace(/<br\s*\/?>|<\/p>|<\/li>|<\/div>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ');
  text = text.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new UnusableResource('attachment text is empty');
  return text;
}

interface Resolver {
  resolve<T extends Resource>(reference: Reference | undefined, type: T['resourceType']): T | undefined;
}

function buildResolver(entries: ReadonlyArray<{ fullUrl?: string; resource: Resource }>): Resolver {
  const byRef = new Map<string, Resource>();
  for (const { fullUrl, resource } of entries) {
    if (fullUrl) byRef.set(fullUrl, resource);
    if (resource.id) byRef.set(refKey(resource), resource);
  }
  return {
    resolve<T extends Resource>(reference: Reference | undefined, type: T['resourceType']): T | undefined {
      const target = reference?.reference ? byRef.get(reference.reference) : undefined;
      return target?.resourceType === type ? (target as T) : undefined;
    },
  };
}

const subjectOf = (r: Clinical): Reference | undefined =>
  'subject' in r && r.subject ? r.subject : 'patient' in r ? (r as AllergyIntolerance | Immunization).patient : undefined;

function encounterOf(r: Clinical): Reference | undefined {
  if (r.resourceType === 'DocumentReference') return r.context?.encounter?.[0];
  if (r.resourceType === 'MedicationStatement') return r.context;
  return 'encounter' in r ? r.encounter : undefined;
}

/** One fact plus the line that shows it. */
interface Entry {
  section: Section;
  line: string;
  fact: Omit<FactDraft, 'start' | 'end'> | null;
}

type Section = 'Problems' | 'Allergies' | 'Medications' | 'Vital signs' | 'Results' | 'Procedures' | 'Immunizations' | 'Care plans';
const sectionOrder: Section[] = ['Problems', 'Allergies', 'Medications', 'Vital signs', 'Results', 'Procedures', 'Immunizations', 'Care plans'];

const flags = { negated: false, uncertain: false, historical: false, hypothetical: false, family: false };

function fact(kind: FactKind, partial: Partial<Omit<FactDraft, 'start' | 'end'>> & Pick<FactDraft, 'codes' | 'display' | 'observedAt' | 'sourceRef'>) {
  return { kind, status: null, value: null, unit: null, valueText: null, detail: {}, ...flags, ...partial };
}

function medicationConcept(r: MedicationRequest | MedicationStatement, resolver: Resolver) {
  if (r.medicationCodeableConcept) return requiredConcept(r.medicationCodeableConcept, 'medication');
  const medication = resolver.resolve<Medication>(r.medicationReference, 'Medication');
  if (!medication) throw new UnusableResource('medication reference does not resolve');
  return requiredConcept(medication.code, 'medication');
}

function quantityText(value: number | undefined, unit: string | undefined): string {
  return value === undefined ? '' : `${formatNumber(value)}${unit ? ` ${unit}` : ''}`;
}

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const componentOrder = (loinc: string) => (loinc === SYSTOLIC ? 0 : loinc === DIASTOLIC ? 1 : 2);

/** HL7 v3 ActEncounterCode displays. */
const encounterClasses: Record<string, string> = {
  AMB: 'ambulatory',
  EMER: 'emergency',
  FLD: 'field',
  HH: 'home health',
  IMP: 'inpatient',
  ACUTE: 'inpatient acute',
  NONAC: 'inpatient non-acute',
  OBSENC: 'observation encounter',
  PRENC: 'pre-admission',
  SS: 'short stay',
  VR: 'virtual',
};

function observationEntry(o: Observation, fallbackDate: Date): Entry {
  const { name, codes } = requiredConcept(o.code, 'observation code');
  const category = o.category?.flatMap((c) => c.coding ?? []).map((c) => c.code)[0] ?? null;
  const kind: FactKind = category === 'vital-signs' ? 'vital' : category === 'laboratory' ? 'lab' : 'observation';
  const observedAt = parseDate(o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued) ?? fallbackDate;
  const base = { codes, display: name, observedAt, sourceRef: refKey(o), status: o.status ?? null };
  const section: Section = kind === 'vital' ? 'Vital signs' : 'Results';
  if (o.component && o.component.length > 0) {
    const components = o.component
      .filter((c) => c.valueQuantity?.value !== undefined)
      .map((c) => ({
        loinc: c.code.coding?.find((x) => x.system === 'http://loinc.org')?.code ?? '',
        display: conceptName(c.code) ?? '',
        value: c.valueQuantity!.value!,
        unit: c.valueQuantity!.unit ?? c.valueQuantity!.code ?? '',
      }));
    if (components.length === 0) throw new UnusableResource('observation components carry no values');
    // Blood pressure reads systolic/diastolic whatever order the components come in.
    components.sort((a, b) => componentOrder(a.loinc) - componentOrder(b.loinc));
    const unit = components[0]!.unit;
    const sameUnit = components.every((c) => c.unit === unit);
    const shown = sameUnit
      ? `${components.map((c) => formatNumber(c.value)).join('/')} ${unit}`
      : components.map((c) => `${c.display} ${quantityText(c.value, c.unit)}`).join('; ');
    return { section, line: `${name}: ${shown}`, fact: fact(kind, { ...base, value: components[0]!.value, unit, detail: { components, category } }) };
  }
  if (o.valueQuantity?.value !== undefined) {
    const unit = o.valueQuantity.unit ?? o.valueQuantity.code ?? null;
    return {
      section,
      line: `${name}: ${quantityText(o.valueQuantity.value, unit ?? undefined)}`,
      fact: fact(kind, { ...base, value: o.valueQuantity.value, unit, detail: { category } }),
    };
  }
  const valueText = conceptName(o.valueCodeableConcept) ?? o.valueString ?? (o.valueBoolean === undefined ? null : String(o.valueBoolean));
  return {
    section,
    line: valueText ? `${name}: ${valueText}` : name,
    fact: fact(kind, { ...base, valueText, detail: { category } }),
  };
}

function entryFor(r: Clinical, fallbackDate: Date, resolver: Resolver): Entry | null {
  const sourceRef = refKey(r);
  switch (r.resourceType) {
    case 'Condition': {
      const verification = statusCode(r.verificationStatus);
      if (verification === 'entered-in-error') return null;
      const { name, codes } = requiredConcept(r.code, 'condition code');
      const status = statusCode(r.clinicalStatus);
      const onset = parseDate(r.onsetDateTime ?? r.onsetPeriod?.start ?? r.recordedDate);
      const abated = parseDate(r.abatementDateTime ?? r.abatementPeriod?.end);
      const negated = verification === 'refuted';
      const parts = [
        negated ? `${name} (ruled out)` : name,
        onset ? `onset ${isoDate(onset)}` : null,
        abated ? `resolved ${isoDate(abated)}` : status,
      ];
      return {
        section: 'Problems',
        line: parts.filter(Boolean).join('; '),
        fact: fact('problem', {
          codes,
          display: name,
          observedAt: onset ?? fallbackDate,
          sourceRef,
          status,
          negated,
          uncertain: verification === 'provisional' || verification === 'differential',
          detail: { verification, abatedAt: abated?.toISOString() ?? null },
        }),
      };
    }
    case 'MedicationRequest':
    case 'MedicationStatement': {
      const { name, codes } = medicationConcept(r, resolver);
      const dosage = r.resourceType === 'MedicationRequest' ? r.dosageInstruction?.[0] : r.dosage?.[0];
      const when =
        r.resourceType === 'MedicationRequest' ? r.authoredOn : (r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.dateAsserted);
      const parts = [name, dosage?.text ?? (dosage?.asNeededBoolean ? 'as needed' : null), r.status];
      return {
        section: 'Medications',
        line: parts.filter(Boolean).join('; '),
        fact: fact('medication', {
          codes,
          display: name,
          observedAt: parseDate(when) ?? fallbackDate,
          sourceRef,
          status: r.status ?? null,
          detail: { dosage: dosage?.text ?? null, asNeeded: dosage?.asNeededBoolean ?? false },
        }),
      };
    }
    case 'AllergyIntolerance': {
      if (statusCode(r.verificationStatus) === 'entered-in-error') return null;
      const { name, codes } = requiredConcept(r.code, 'allergy substance');
      const reactions = (r.reaction ?? []).flatMap((x) => x.manifestation?.map((m) => conceptName(m)) ?? []).filter((x): x is string => !!x);
      const status = statusCode(r.clinicalStatus) ?? 'active';
      const parts = [name, r.category?.join(', '), r.criticality ? `criticality ${r.criticality}` : null, reactions.length ? `reaction: ${reactions.join(', ')}` : null];
      return {
        section: 'Allergies',
        line: parts.filter(Boolean).join('; '),
        fact: fact('allergy', {
          codes,
          display: name,
          observedAt: parseDate(r.recordedDate ?? r.onsetDateTime) ?? fallbackDate,
          sourceRef,
          status,
          negated: statusCode(r.verificationStatus) === 'refuted',
          detail: { reactions, criticality: r.criticality ?? null, category: r.category ?? [] },
        }),
      };
    }
    case 'Observation':
      return observationEntry(r, fallbackDate);
    case 'DiagnosticReport': {
      const { name } = requiredConcept(r.code, 'report code');
      const results = (r.result ?? []).map((x) => x.display).filter(Boolean);
      const parts = [name, r.conclusion ?? (results.length ? `results: ${results.join(', ')}` : null)];
      return { section: 'Results', line: parts.filter(Boolean).join(': '), fact: null };
    }
    case 'Procedure': {
      const { name, codes } = requiredConcept(r.code, 'procedure code');
      const when = parseDate(r.performedDateTime ?? r.performedPeriod?.start) ?? fallbackDate;
      return {
        section: 'Procedures',
        line: `${name}; ${isoDate(when)}`,
        fact: fact('procedure', { codes, display: name, observedAt: when, sourceRef, status: r.status ?? null }),
      };
    }
    case 'Immunization': {
      const { name, codes } = requiredConcept(r.vaccineCode, 'vaccine code');
      const when = parseDate(r.occurrenceDateTime) ?? fallbackDate;
      return {
        section: 'Immunizations',
        line: name,
        fact: fact('immunization', { codes, display: name, observedAt: when, sourceRef, status: r.status ?? null }),
      };
    }
    case 'CarePlan': {
      const name = r.category?.map(conceptName).find(Boolean) ?? r.title ?? null;
      if (!name) throw new UnusableResource('care plan has no category or title');
      const activities = (r.activity ?? []).map((a) => conceptName(a.detail?.code)).filter(Boolean);
      const addresses = (r.addresses ?? []).map((a) => conceptName(resolver.resolve<Condition>(a, 'Condition')?.code) ?? a.display).filter(Boolean);
      const parts = [name, activities.length ? `activities: ${activities.join(', ')}` : null, addresses.length ? `for ${addresses.join(', ')}` : null, r.status];
      return { section: 'Care plans', line: parts.filter(Boolean).join('; '), fact: null };
    }
    case 'DocumentReference':
      return null;
  }
}

function renderEntries(header: Array<[string, string]>, entries: readonly Entry[]): { text: string; facts: FactDraft[] } {
  const builder = new RecordTextBuilder();
  for (const [label, value] of header) builder.field(label, value);
  const facts: FactDraft[] = [];
  for (const section of sectionOrder) {
    const inSection = entries.filter((e) => e.section === section);
    if (inSection.length === 0) continue;
    builder.heading(section);
    for (const e of inSection) {
      const span = builder.entry(e.line);
      if (e.fact) facts.push({ ...e.fact, ...span });
    }
  }
  return { text: builder.toString(), facts };
}

function encounterHeader(encounter: Encounter, resolver: Resolver): { header: Array<[string, string]>; author: string; date: Date } {
  const date = parseDate(encounter.period?.start) ?? new Date(0);
  const end = parseDate(encounter.period?.end);
  const practitioner = encounter.participant?.map((p) => resolver.resolve<Practitioner>(p.individual, 'Practitioner')).find(Boolean);
  const organization = resolver.resolve<Organization>(encounter.serviceProvider, 'Organization');
  const author = [practitioner ? personName(practitioner) : null, organization?.name].filter(Boolean).join(', ') || 'FHIR import';
  const header: Array<[string, string]> = [['Encounter', conceptName(encounter.type?.[0]) ?? 'Encounter']];
  const encounterClass = encounter.class?.display ?? (encounter.class?.code ? (encounterClasses[encounter.class.code] ?? encounter.class.code) : null);
  if (encounterClass) header.push(['Class', encounterClass]);
  header.push(['Date', end && isoDate(end) !== isoDate(date) ? `${isoDate(date)} to ${isoDate(end)}` : isoDate(date)]);
  const reasons = (encounter.reasonCode ?? []).map(conceptName).filter(Boolean);
  if (reasons.length) header.push(['Reason', reasons.join(', ')]);
  header.push(['Provider', author]);
  return { header, author, date };
}

/** Reads one parsed bundle. Never throws for bad content: problems come back as issues. */
export function readFhirBundle(json: unknown): BundleContents {
  const issues: ImportIssue[] = [];
  const ignored: Record<string, number> = {};
  const bundle = json as Bundle;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
    return { patients: [], issues: [{ resource: 'Bundle', message: 'not a FHIR Bundle (resourceType must be "Bundle")' }], ignored };
  }
  const entries = (bundle.entry ?? []).filter((e): e is typeof e & { resource: Resource } => {
    const ok = !!e?.resource && typeof e.resource.resourceType === 'string';
    if (!ok) issues.push({ resource: 'Bundle', message: 'an entry has no resource' });
    return ok;
  });
  const resolver = buildResolver(entries);

  const records = new Map<Patient, { record: PatientRecord; byEncounter: Map<Encounter | null, Clinical[]> }>();
  for (const { resource } of entries) {
    if (resource.resourceType !== 'Patient') continue;
    if (!resource.id) {
      issues.push({ resource: 'Patient/?', message: 'patient without id' });
      continue;
    }
    const mrn = resource.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? `FHIR-${resource.id}`;
    records.set(resource, {
      record: {
        sourceKey: `fhir:Patient/${resource.id}`,
        mrn,
        name: personName(resource),
        // FHIR allows a year or year-month; only a full date fits a birth-date column.
        birthDate: resource.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(resource.birthDate) ? resource.birthDate : null,
        sex: sexOf(resource.gender),
        documents: [],
      },
      byEncounter: new Map(),
    });
  }

  // Every encounter gets a note, even one with no clinical entries ("when was her last check-up?").
  for (const { resource } of entries) {
    if (resource.resourceType !== 'Encounter') continue;
    const patient = resolver.resolve<Patient>(resource.subject, 'Patient');
    const target = patient ? records.get(patient) : undefined;
    if (target) target.byEncounter.set(resource, []);
    else issues.push({ resource: refKey(resource), message: 'its patient (subject) is not in the bundle' });
  }
  for (const { resource } of entries) {
    if (!clinicalTypes.has(resource.resourceType)) {
      if (!supportingTypes.has(resource.resourceType)) ignored[resource.resourceType] = (ignored[resource.resourceType] ?? 0) + 1;
      continue;
    }
    const r = resource as Clinical;
    const patient = resolver.resolve<Patient>(subjectOf(r), 'Patient');
    const target = patient ? records.get(patient) : undefined;
    if (!target) {
      issues.push({ resource: refKey(r), message: 'its patient (subject) is not in the bundle' });
      continue;
    }
    const encounter = resolver.resolve<Encounter>(encounterOf(r), 'Encounter') ?? null;
    const list = target.byEncounter.get(encounter) ?? [];
    list.push(r);
    target.byEncounter.set(encounter, list);
  }

  for (const { record, byEncounter } of records.values()) {
    const patientLevel: Entry[] = [];
    let latest: Date | null = null;
    const encounters = [...byEncounter.keys()]
      .filter((e): e is Encounter => e !== null)
      .sort((a, b) => (a.period?.start ?? '').localeCompare(b.period?.start ?? ''));
    for (const encounter of [...encounters, null]) {
      const resources = byEncounter.get(encounter) ?? [];
      const context = encounter ? encounterHeader(encounter, resolver) : null;
      const fallback = context?.date ?? new Date(0);
      const entries: Entry[] = [];
      const report = (r: Clinical, error: unknown) => {
        if (!(error instanceof UnusableResource)) throw error;
        issues.push({ resource: refKey(r), message: error.message });
      };
      for (const r of resources) {
        if (r.resourceType === 'DocumentReference' || (r.resourceType === 'DiagnosticReport' && r.presentedForm?.length)) {
          try {
            const doc = documentFrom(r, fallback);
            record.documents.push(encounter?.id && context ? { ...doc, encounter: recordEncounter(encounter, context.date) } : doc);
          } catch (error) {
            report(r, error);
          }
        }
        try {
          const entry = entryFor(r, fallback, resolver);
          if (!entry) continue;
          if (encounter) entries.push(entry);
          else {
            patientLevel.push(entry);
            if (entry.fact && (!latest || entry.fact.observedAt > latest)) latest = entry.fact.observedAt;
          }
        } catch (error) {
          report(r, error);
        }
      }
      if (!encounter || !context) continue;
      const { text, facts } = renderEntries(context.header, entries);
      record.documents.push({
        sourceKey: `fhir:Encounter/${encounter.id}`,
        kind: FHIR_RECORD_NOTE_KIND,
        authoredAt: context.date,
        author: context.author,
        text,
        facts,
        ...(encounter.id ? { encounter: recordEncounter(encounter, context.date) } : {}),
      });
    }
    if (patientLevel.length > 0) {
      const { text, facts } = renderEntries([['Record', 'entries not tied to an encounter']], patientLevel);
      record.documents.push({
        sourceKey: `${record.sourceKey}/record`,
        kind: FHIR_RECORD_NOTE_KIND,
        authoredAt: latest ?? new Date(0),
        author: 'FHIR import',
        text,
        facts,
      });
    }
  }
  return { patients: [...records.values()].map((r) => r.record), issues, ignored };
}

function documentFrom(r: DocumentReference | DiagnosticReport, fallback: Date): RecordDocument {
  if (r.resourceType === 'DocumentReference') {
    if (r.status === 'entered-in-error') throw new UnusableResource('document entered in error');
    const text = attachmentText(r.content?.find((c) => c.attachment?.data)?.attachment ?? r.content?.[0]?.attachment);
    return {
      sourceKey: `fhir:DocumentReference/${r.id}`,
      kind: (conceptName(r.type) ?? 'document').slice(0, 64),
      authoredAt: parseDate(r.date ?? r.context?.period?.start) ?? fallback,
      author: r.author?.map((a) => a.display).find(Boolean) ?? 'FHIR import',
      text,
      facts: null,
    };
  }
  return {
    sourceKey: `fhir:DiagnosticReport/${r.id}`,
    kind: (conceptName(r.code) ?? 'report').slice(0, 64),
    authoredAt: parseDate(r.effectiveDateTime ?? r.issued) ?? fallback,
    author: r.performer?.map((a) => a.display).find(Boolean) ?? 'FHIR import',
    text: attachmentText(r.presentedForm?.find((a) => a.data) ?? r.presentedForm?.[0]),
    facts: null,
  };
}
