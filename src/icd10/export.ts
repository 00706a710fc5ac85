/**
 * Export of coder-approved final code sets: CSV (one row per code, for spreadsheets and billing imports) and a
 * FHIR R4 collection Bundle holding, per reviewed note, one Condition per final code and a draft Claim whose
 * `diagnosis` lists them in order. Only reviewed codes are exported: suggestions never leave without a coder.
 */
import type { Bundle, BundleEntry, Claim, Condition } from '@medplum/fhirtypes';
import { noteCompositionId, uuidFor } from '../clinical/fhir.ts';
import type { FinalCode } from '../repositories/coding.ts';

/** The latest final code set of one reviewed note. */
export interface ReviewedNoteCodes {
  noteId: string;
  patientId: string;
  mrn: string;
  authoredAt: Date;
  version: number;
  codeSetVersion: string;
  finalCodes: FinalCode[];
  reviewedBy: string;
  reviewedAt: Date;
}

const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const MRN_SYSTEM = 'urn:clinote:mrn';
/** Filled in by the hospital's billing system: Clinote knows the diagnoses, not the payer or the billing provider. */
const FOR_BILLING = 'to be completed by the billing system';

const CSV_COLUMNS = ['note_id', 'patient_id', 'mrn', 'authored_at', 'review_version', 'code_set_version', 'sequence', 'code', 'title', 'origin', 'reviewed_by', 'reviewed_at'];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function finalCodesCsv(notes: readonly ReviewedNoteCodes[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const n of notes) {
    n.finalCodes.forEach((f, i) =>
      lines.push(
        [n.noteId, n.patientId, n.mrn, n.authoredAt.toISOString(), String(n.version), n.codeSetVersion, String(i + 1), f.code, f.title, f.origin, n.reviewedBy, n.reviewedAt.toISOString()]
          .map(csvCell)
          .join(','),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Resource ids derive from note, review version and code, so exporting the same review twice gives the same
 * resources (a receiving system can upsert). Each Condition points at the note's FHIR document as its evidence.
 */
export function finalCodesFhirBundle(notes: readonly ReviewedNoteCodes[], now = new Date()): Bundle {
  const entry: BundleEntry[] = [];
  for (const n of notes) {
    const subject = { reference: `Patient/${n.patientId}`, identifier: { system: MRN_SYSTEM, value: n.mrn } };
    for (const f of n.finalCodes) {
      const id = uuidFor(`${n.noteId}/review/${n.version}/${f.code}`);
      const condition: Condition = {
        resourceType: 'Condition',
        id,
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        code: { coding: [{ system: ICD10CM, version: n.codeSetVersion, code: f.code, display: f.title }], text: f.title },
        subject,
        recordedDate: n.reviewedAt.toISOString(),
        recorder: { display: n.reviewedBy },
        evidence: [{ detail: [{ reference: `Composition/${noteCompositionId(n.noteId)}`, display: `note ${n.noteId}` }] }],
      };
      entry.push({ fullUrl: `urn:uuid:${id}`, resource: condition });
    }
    const claimId = uuidFor(`${n.noteId}/review/${n.version}/claim`);
    const claim: Claim = {
      resourceType: 'Claim',
      id: claimId,
      identifier: [{ system: 'urn:clinote:note-review', value: `${n.noteId}/v${n.version}` }],
      status: 'draft',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
      use: 'claim',
      patient: subject,
      created: n.reviewedAt.toISOString(),
      provider: { display: FOR_BILLING },
      priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
      insurance: [{ sequence: 1, focal: true, coverage: { display: FOR_BILLING } }],
      diagnosis: n.finalCodes.map((f, i) => ({
        sequence: i + 1,
        diagnosisCodeableConcept: { coding: [{ system: ICD10CM, version: n.codeSetVersion, code: f.code, display: f.title }] },
      })),
    };
    entry.push({ fullUrl: `urn:uuid:${claimId}`, resource: claim });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), entry };
}
