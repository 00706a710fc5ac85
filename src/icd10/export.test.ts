import type { Claim, Condition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { noteCompositionId } from '../clinical/fhir.ts';
import { finalCodesCsv, finalCodesFhirBundle, type ReviewedNoteCodes } from './export.ts';

const reviewed: ReviewedNoteCodes = {
  noteId: '0b8f6a52-4a57-4c3e-9d0e-5f1b2b7f2a10',
  patientId: '5d0c1f3e-2b7a-4e0c-8a43-0e9b1c6d7f21',
  mrn: 'BN-0042',
  authoredAt: new Date('2026-03-02T08:00:00Z'),
  version: 2,
  codeSetVersion: 'FY2021',
  finalCodes: [
    { code: 'I11.9', title: 'Hypertensive heart disease without heart failure', origin: 'replacement', suggestedCode: 'I10' },
    { code: 'S72.001A', title: 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture', origin: 'added', suggestedCode: null },
  ],
  reviewedBy: 'Coder "Mai", ward 3',
  reviewedAt: new Date('2026-03-03T10:30:00Z'),
};

describe('final code export', () => {
  it('writes one CSV row per code in order, quoting cells with commas and quotes', () => {
    const lines = finalCodesCsv([reviewed]).trimEnd().split('\n');
    expect(lines[0]).toBe('note_id,patient_id,mrn,authored_at,review_version,code_set_version,sequence,code,title,origin,reviewed_by,reviewed_at');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',2,FY2021,1,I11.9,Hypertensive heart disease without heart failure,replacement,"Coder ""Mai"", ward 3",');
    expect(lines[2]).toContain(',2,S72.001A,"Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",added,');
    expect(finalCodesCsv([])).toBe(lines[0] + '\n');
  });

  it('builds a FHIR collection with a Condition per code and a draft Claim listing them in order', () => {
    const bundle = finalCodesFhirBundle([reviewed], new Date('2026-03-04T00:00:00Z'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2026-03-04T00:00:00.000Z' });
    const resources = bundle.entry!.map((e) => e.resource!);
    const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition');
    const claims = resources.filter((r): r is Claim => r.resourceType === 'Claim');
    expect(conditions.map((c) => c.code?.coding?.[0]?.code)).toEqual(['I11.9', 'S72.001A']);
    expect(conditions[0]).toMatchObject({
      subject: { reference: `Patient/${reviewed.patientId}`, identifier: { value: 'BN-0042' } },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', version: 'FY2021' }] },
      evidence: [{ detail: [{ reference: `Composition/${noteCompositionId(reviewed.noteId)}` }] }],
    });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ status: 'draft', use: 'claim', patient: { reference: `Patient/${reviewed.patientId}` } });
    expect(claims[0]!.diagnosis!.map((d) => [d.sequence, d.diagnosisCodeableConcept?.coding?.[0]?.code])).toEqual([[1, 'I11.9'], [2, 'S72.001A']]);
    for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
  });

  it('gives the same resource ids for the same review, and new ones for a new version', () => {
    const ids = (n: ReviewedNoteCodes) => finalCodesFhirBundle([n]).entry!.map((e) => e.resource!.id);
    expect(ids(reviewed)).toEqual(ids({ ...reviewed }));
    expect(ids({ ...reviewed, version: 3 })).not.toEqual(ids(reviewed));
    expect(new Set(ids(reviewed)).size).toBe(3);
  });
});
