/**
 * Export of coder-approved final code sets, per reviewed encounter (a note without an encounter is its own
 * outpatient encounter): CSV (one row per code with its sequence and POA, for spreadsheets and billing imports)
 * and a FHIR R4 collection Bundle holding, per encounter, its Encounter, one Condition per final code and a draft
 * Claim whose `diagnosis` lists them in sequence, principal first, with POA for inpatient stays. Only reviewed
 * codes are exported: suggestions never leave without a coder.
 */
import type { Bundle, BundleEntry, Claim, ClaimDiagnosis, Condition, Encounter as FhirEncounter } from '@medplum/fhirtypes';
import { noteCompositionId, uuidFor } from '../notes/structuring/fhir.ts';
import type { EncounterType, FinalCode, ReviewedCodeSet } from './types.ts';

const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const MRN_SYSTEM = 'urn:clinote:mrn';
const DIAGNOSIS_TYPE = 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype';
// R4's example diagnosis types have "principal" but no "secondary"; the CARIN Blue Button code system has both.
const CARIN_DIAGNOSIS_TYPE = 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType';
const ON_ADMISSION = 'http://terminology.hl7.org/CodeSystem/ex-diagnosis-on-admission';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Filled in by the hospital's billing system: Clinote knows the diagnoses, not the payer or the billing provider. */
const FOR_BILLING = 'to be completed by the billing system';

const encounterClass: Record<EncounterType, { code: string; display: string }> = {
  outpatient: { code: 'AMB', display: 'ambulatory' },
  ED: { code: 'EMER', display: 'emergency' },
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
};

const CSV_COLUMNS = [
  'encounter_id',
  'note_id',
  'encounter_type',
  'encounter_start',
  'encounter_end',
  'patient_id',
  'mrn',
  'review_version',
  'code_set_version',
  'sequence',
  'diagnosis_type',
  'code',
  'title',
  'poa',
  'origin',
  'reviewed_by',
  'reviewed_at',
];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Principal (inpatient) or first-listed (outpatient and ED) diagnosis first. */
const diagnosisType = (set: ReviewedCodeSet, index: number) => (index > 0 ? 'secondary' : set.encounterType === 'inpatient' ? 'principal' : 'first-listed');

export function finalCodesCsv(sets: readonly ReviewedCodeSet[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of sets) {
    s.finalCodes.forEach((f, i) =>
      lines.push(
        [
          s.encounterId ?? '',
          s.noteId ?? '',
          s.encounterType,
          s.start.toISOString(),
          s.end?.toISOString() ?? '',
          s.patientId,
          s.mrn,
          String(s.version),
          s.codeSetVersion,
          String(i + 1),
          diagnosisType(s, i),
          f.code,
          f.title,
          f.poa ?? '',
          f.origin,
          s.reviewedBy,
          s.reviewedAt.toISOString(),
        ]
          .map(csvCell)
          .join(','),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function claimDiagnosis(set: ReviewedCodeSet, f: FinalCode, index: number): ClaimDiagnosis {
  const principal = index === 0 && set.encounterType === 'inpatient';
  const diagnosis: ClaimDiagnosis = {
    sequence: index + 1,
    diagnosisCodeableConcept: { coding: [{ system: ICD10CM, version: set.codeSetVersion, code: f.code, display: f.title }] },
    type: [principal ? { coding: [{ system: DIAGNOSIS_TYPE, code: 'principal' }] } : { coding: [{ system: CARIN_DIAGNOSIS_TYPE, code: index === 0 ? 'principal' : 'secondary' }] }],
  };
  // Exempt codes carry no indicator (the 837I leaves it blank).
  if (f.poa && f.poa !== 'exempt') diagnosis.onAdmission = { coding: [{ system: ON_ADMISSION, code: f.poa.toLowerCase() }] };
  return diagnosis;
}

/**
 * Resource ids derive from the subject, review version and code, so exporting the same review twice gives the
 * same resources (a receiving system can upsert). Each Condition points at its notes' FHIR documents.
 */
export function finalCodesFhirBundle(sets: readonly ReviewedCodeSet[], now = new Date()): Bundle {
  const entry: BundleEntry[] = [];
  for (const s of sets) {
    const subjectKey = s.encounterId ? `encounter/${s.encounterId}` : s.noteId!;
    const subject = { reference: `Patient/${s.patientId}`, identifier: { system: MRN_SYSTEM, value: s.mrn } };
    const encounterId = s.encounterId ?? uuidFor(`${s.noteId}/encounter`);
    const encounter: FhirEncounter = {
      resourceType: 'Encounter',
      id: encounterId,
      ...(s.externalId ? { identifier: [{ system: 'urn:clinote:encounter-external-id', value: s.externalId }] } : {}),
      status: s.end ? 'finished' : 'in-progress',
      class: { system: ACT_CODE, ...encounterClass[s.encounterType] },
      subject,
      period: { start: s.start.toISOString(), ...(s.end ? { end: s.end.toISOString() } : {}) },
    };
    entry.push({ fullUrl: `urn:uuid:${encounterId}`, resource: encounter });
    const evidence = [{ detail: s.noteIds.map((id) => ({ reference: `Composition/${noteCompositionId(id)}`, display: `note ${id}` })) }];
    for (const f of s.finalCodes) {
      const id = uuidFor(`${subjectKey}/review/${s.version}/${f.code}`);
      const condition: Condition = {
        resourceType: 'Condition',
        id,
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        code: { coding: [{ system: ICD10CM, version: s.codeSetVersion, code: f.code, display: f.title }], text: f.title },
        subject,
        encounter: { reference: `urn:uuid:${encounterId}` },
        recordedDate: s.reviewedAt.toISOString(),
        recorder: { display: s.reviewedBy },
        evidence,
      };
      entry.push({ fullUrl: `urn:uuid:${id}`, resource: condition });
    }
    const claimId = uuidFor(`${subjectKey}/review/${s.version}/claim`);
    const claim: Claim = {
      resourceType: 'Claim',
      id: claimId,
      identifier: [{ system: s.encounterId ? 'urn:clinote:encounter-review' : 'urn:clinote:note-review', value: `${s.encounterId ?? s.noteId}/v${s.version}` }],
      status: 'draft',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: s.encounterType === 'inpatient' ? 'institutional' : 'professional' }] },
      use: 'claim',
      patient: subject,
      billablePeriod: { start: s.start.toISOString(), ...(s.end ? { end: s.end.toISOString() } : {}) },
      created: s.reviewedAt.toISOString(),
      provider: { display: FOR_BILLING },
      priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
      insurance: [{ sequence: 1, focal: true, coverage: { display: FOR_BILLING } }],
      diagnosis: s.finalCodes.map((f, i) => claimDiagnosis(s, f, i)),
      // Claim.item is where R4 ties a claim to its encounter.
      item: [
        {
          sequence: 1,
          ...(s.finalCodes.length ? { diagnosisSequence: s.finalCodes.map((_, i) => i + 1).slice(0, 4) } : {}),
          productOrService: { text: FOR_BILLING },
          encounter: [{ reference: `urn:uuid:${encounterId}` }],
        },
      ],
    };
    entry.push({ fullUrl: `urn:uuid:${claimId}`, resource: claim });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), entry };
}
