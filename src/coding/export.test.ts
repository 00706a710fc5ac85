import type { Bundle, Claim, Condition, Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { noteCompositionId } from '../notes/structuring/fhir.ts';
import { finalCodesCsv, finalCodesFhirBundle } from './export.ts';
import type { ReviewedCodeSet } from './types.ts';

const outpatient: ReviewedCodeSet = {
  noteId: '0b8f6a52-4a57-4c3e-9d0e-5f1b2b7f2a10',
  encounterId: null,
  externalId: null,
  encounterType: 'outpatient',
  start: new Date('2026-03-02T08:00:00Z'),
  end: new Date('2026-03-02T08:00:00Z'),
  noteIds: ['0b8f6a52-4a57-4c3e-9d0e-5f1b2b7f2a10'],
  patientId: '5d0c1f3e-2b7a-4e0c-8a43-0e9b1c6d7f21',
  mrn: 'BN-0042',
  version: 2,
  codeSetVersion: 'FY2021',
  finalCodes: [
    { code: 'I11.9', title: 'Hypertensive heart disease without heart failure', origin: 'replacement', suggestedCode: 'I10', poa: null },
    { code: 'S72.001A', title: 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture', origin: 'added', suggestedCode: null, poa: null },
  ],
  reviewedBy: 'Coder "Mai", ward 3',
  reviewedAt: new Date('2026-03-03T10:30:00Z'),
};

const inpatient: ReviewedCodeSet = {
  ...outpatient,
  noteId: null,
  encounterId: '7a1c0d2e-5b3f-4e6a-9c8d-1e2f3a4b5c6d',
  externalId: 'ADM-77',
  encounterType: 'inpatient',
  start: new Date('2026-03-01T20:00:00Z'),
  end: new Date('2026-03-05T11:00:00Z'),
  noteIds: ['1b8f6a52-4a57-4c3e-9d0e-5f1b2b7f2a11', '2b8f6a52-4a57-4c3e-9d0e-5f1b2b7f2a12'],
  finalCodes: [
    { code: 'J18.9', title: 'Pneumonia, unspecified organism', origin: 'accepted', suggestedCode: 'J18.9', poa: 'Y' },
    { code: 'L89.152', title: 'Pressure ulcer of sacral region, stage 2', origin: 'accepted', suggestedCode: 'L89.152', poa: 'N' },
    { code: 'Z79.84', title: 'Long term (current) use of oral hypoglycemic drugs', origin: 'added', suggestedCode: null, poa: 'exempt' },
  ],
};

/** The elements R4 Claim requires (cardinality 1..1 or 1..*), on the claim and on each diagnosis, insurance and item. */
function missingClaimElements(claim: Claim): string[] {
  const missing: string[] = [];
  const need = (path: string, value: unknown) => {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) missing.push(path);
  };
  for (const key of ['status', 'type', 'use', 'patient', 'created', 'provider', 'priority', 'insurance'] as const) need(key, claim[key]);
  claim.diagnosis?.forEach((d, i) => {
    need(`diagnosis[${i}].sequence`, d.sequence);
    need(`diagnosis[${i}].diagnosis[x]`, d.diagnosisCodeableConcept ?? d.diagnosisReference);
  });
  claim.insurance?.forEach((ins, i) => {
    need(`insurance[${i}].sequence`, ins.sequence);
    need(`insurance[${i}].focal`, ins.focal);
    need(`insurance[${i}].coverage`, ins.coverage);
  });
  claim.item?.forEach((item, i) => {
    need(`item[${i}].sequence`, item.sequence);
    need(`item[${i}].productOrService`, item.productOrService);
  });
  return missing;
}

const resources = (bundle: Bundle) => bundle.entry!.map((e) => e.resource!);

describe('final code export', () => {
  it('writes one CSV row per code in sequence, with diagnosis type and POA, quoting cells with commas and quotes', () => {
    const lines = finalCodesCsv([outpatient, inpatient]).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'encounter_id,note_id,encounter_type,encounter_start,encounter_end,patient_id,mrn,review_version,code_set_version,sequence,diagnosis_type,code,title,poa,origin,reviewed_by,reviewed_at',
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^,0b8f6a52-[^,]+,outpatient,.*,2,FY2021,1,first-listed,I11\.9,Hypertensive heart disease without heart failure,,replacement,"Coder ""Mai"", ward 3",/);
    expect(lines[2]).toContain(',2,secondary,S72.001A,"Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",,added,');
    expect(lines[3]).toMatch(/^7a1c0d2e-[^,]+,,inpatient,2026-03-01T20:00:00\.000Z,2026-03-05T11:00:00\.000Z,/);
    expect(lines[3]).toContain(',1,principal,J18.9,"Pneumonia, unspecified organism",Y,accepted,');
    expect(lines[4]).toContain(',2,secondary,L89.152,"Pressure ulcer of sacral region, stage 2",N,accepted,');
    expect(lines[5]).toContain(',exempt,added,');
    expect(finalCodesCsv([])).toBe(lines[0] + '\n');
  });

  it('builds a FHIR collection with the Encounter, a Condition per code and a draft Claim in sequence with type and POA', () => {
    const bundle = finalCodesFhirBundle([inpatient], new Date('2026-03-06T00:00:00Z'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2026-03-06T00:00:00.000Z' });
    const all = resources(bundle);
    const encounter = all.find((r): r is Encounter => r.resourceType === 'Encounter')!;
    expect(encounter).toMatchObject({
      id: inpatient.encounterId,
      status: 'finished',
      class: { code: 'IMP' },
      identifier: [{ value: 'ADM-77' }],
      period: { start: '2026-03-01T20:00:00.000Z', end: '2026-03-05T11:00:00.000Z' },
    });
    const conditions = all.filter((r): r is Condition => r.resourceType === 'Condition');
    expect(conditions.map((c) => c.code?.coding?.[0]?.code)).toEqual(['J18.9', 'L89.152', 'Z79.84']);
    expect(conditions[0]).toMatchObject({
      subject: { reference: `Patient/${inpatient.patientId}`, identifier: { value: 'BN-0042' } },
      encounter: { reference: `urn:uuid:${inpatient.encounterId}` },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      evidence: [{ detail: inpatient.noteIds.map((id) => ({ reference: `Composition/${noteCompositionId(id)}` })) }],
    });
    const [claim] = all.filter((r): r is Claim => r.resourceType === 'Claim');
    expect(missingClaimElements(claim!)).toEqual([]);
    expect(claim).toMatchObject({ status: 'draft', use: 'claim', type: { coding: [{ code: 'institutional' }] }, billablePeriod: { end: '2026-03-05T11:00:00.000Z' } });
    expect(claim!.diagnosis!.map((d) => [d.sequence, d.diagnosisCodeableConcept?.coding?.[0]?.code, d.type?.[0]?.coding?.[0]?.code, d.onAdmission?.coding?.[0]?.code])).toEqual([
      [1, 'J18.9', 'principal', 'y'],
      [2, 'L89.152', 'secondary', 'n'],
      [3, 'Z79.84', 'secondary', undefined],
    ]);
    expect(claim!.diagnosis![0]!.type![0]!.coding![0]!.system).toBe('http://terminology.hl7.org/CodeSystem/ex-diagnosistype');
    expect(claim!.diagnosis![0]!.onAdmission!.coding![0]!.system).toBe('http://terminology.hl7.org/CodeSystem/ex-diagnosis-on-admission');
    expect(claim!.item![0]!.encounter).toEqual([{ reference: `urn:uuid:${inpatient.encounterId}` }]);
    for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
  });

  it('exports a note reviewed alone as its own outpatient encounter, with a professional claim and no POA', () => {
    const all = resources(finalCodesFhirBundle([outpatient]));
    expect(all.map((r) => r.resourceType)).toEqual(['Encounter', 'Condition', 'Condition', 'Claim']);
    const claim = all[3] as Claim;
    expect(missingClaimElements(claim)).toEqual([]);
    expect(claim.type.coding![0]!.code).toBe('professional');
    expect(claim.diagnosis!.every((d) => d.onAdmission === undefined)).toBe(true);
    expect(missingClaimElements({ ...claim, provider: undefined as never, diagnosis: [{ sequence: 1 }] })).toEqual(['provider', 'diagnosis[0].diagnosis[x]']);
  });

  it('gives the same resource ids for the same review, and new ones for a new version', () => {
    const ids = (s: ReviewedCodeSet) => finalCodesFhirBundle([s]).entry!.map((e) => e.resource!.id);
    expect(ids(outpatient)).toEqual(ids({ ...outpatient }));
    expect(ids({ ...outpatient, version: 3 })).not.toEqual(ids(outpatient));
    expect(new Set(ids(outpatient)).size).toBe(4);
  });
});
