import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../config/paths.ts';
import { FHIR_RECORD_NOTE_KIND, readFhirBundle } from './bundle.ts';

const syntheaFile = (name: string) => path.join(sharedDataDir(), 'eval', 'synthea', 'smart-r4-bundles', name);
const abdul = () => JSON.parse(readFileSync(syntheaFile('Abdul_Koepp_e925b0f3-8006-43f6-aa31-94bd215e55e7.json'), 'utf8'));

describe('readFhirBundle on a Synthea transaction bundle', () => {
  const bundle = abdul();
  const contents = readFhirBundle(bundle);
  const record = contents.patients[0]!;
  const resources = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource);

  it('reads the patient and one record note per encounter', () => {
    expect(contents.patients).toHaveLength(1);
    expect(record).toMatchObject({ mrn: 'e925b0f3-8006-43f6-aa31-94bd215e55e7', name: 'Mr. Abdul Koepp', birthDate: '1956-08-03', sex: 'male' });
    const encounters = resources.filter((r: { resourceType: string }) => r.resourceType === 'Encounter').length;
    expect(record.documents.filter((d) => d.sourceKey.startsWith('fhir:Encounter/'))).toHaveLength(encounters);
    expect(record.documents.every((d) => d.kind === FHIR_RECORD_NOTE_KIND)).toBe(true);
    expect(contents.issues).toEqual([]);
    expect(contents.ignored).toMatchObject({ Claim: expect.any(Number), ExplanationOfBenefit: expect.any(Number) });
  });

  it('links every coded fact to the line that shows it, with its code', () => {
    const facts = record.documents.flatMap((d) => (d.facts ?? []).map((f) => ({ f, line: d.text.slice(f.start, f.end) })));
    const coded = resources.filter((r: { resourceType: string }) =>
      ['Condition', 'MedicationRequest', 'AllergyIntolerance', 'Observation', 'Procedure', 'Immunization'].includes(r.resourceType),
    ).length;
    expect(facts).toHaveLength(coded);
    for (const { f, line } of facts) {
      expect(line.startsWith(f.display)).toBe(true);
      expect(f.sourceRef).toMatch(/^\w+\/[\w-]+$/);
    }
    const bp = facts.find(({ f }) => f.codes.includes('loinc:55284-4'))!;
    const [systolic, diastolic] = bp.f.detail.components as Array<{ loinc: string; value: number }>;
    expect([systolic!.loinc, diastolic!.loinc]).toEqual(['8480-6', '8462-4']);
    expect(bp.f.value).toBe(systolic!.value);
    expect(bp.line).toMatch(/^Blood Pressure: \d+(\.\d+)?\/\d+(\.\d+)? mm\[Hg\]$/);
  });

  it('renders sections that note structuring recognises', () => {
    const withProblems = record.documents.find((d) => d.text.includes('\nProblems:\n'))!;
    expect(withProblems.text).toMatch(/^Encounter: .+\nClass: ambulatory\nDate: \d{4}-\d{2}-\d{2}/);
  });
});

describe('readFhirBundle on bad input', () => {
  it('reports unusable resources and keeps the rest', () => {
    const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1970', gender: 'female', name: [{ given: ['Ann'], family: 'Lee' }] };
    const encounter = { resourceType: 'Encounter', id: 'e1', subject: { reference: 'Patient/p1' }, period: { start: '2020-01-02T10:00:00Z' } };
    const contents = readFhirBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: patient },
        { resource: encounter },
        { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, encounter: { reference: 'Encounter/e1' } } },
        { resource: { resourceType: 'Condition', id: 'c2', subject: { reference: 'Patient/p1' }, encounter: { reference: 'Encounter/e1' }, code: { text: 'Asthma' } } },
        { resource: { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/zz' }, code: { text: 'Glucose' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'm1', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/x' } } },
        {
          resource: {
            resourceType: 'DocumentReference',
            id: 'd1',
            subject: { reference: 'Patient/p1' },
            date: '2020-02-03T00:00:00Z',
            type: { text: 'Discharge summary' },
            content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Discharged home. No DVT.').toString('base64') } }],
          },
        },
        { resource: { resourceType: 'DocumentReference', id: 'd2', subject: { reference: 'Patient/p1' }, content: [{ attachment: { url: 'http://x/y.pdf', contentType: 'application/pdf' } }] } },
        {},
      ],
    });
    expect(contents.issues.map((i) => i.resource).sort()).toEqual(['Bundle', 'Condition/c1', 'DocumentReference/d2', 'MedicationRequest/m1', 'Observation/o1']);
    const record = contents.patients[0]!;
    expect(record.birthDate).toBeNull();
    const encounterNote = record.documents.find((d) => d.sourceKey === 'fhir:Encounter/e1')!;
    expect(encounterNote.facts!.map((f) => f.display)).toEqual(['Asthma']);
    const document = record.documents.find((d) => d.sourceKey === 'fhir:DocumentReference/d1')!;
    expect(document).toMatchObject({ kind: 'Discharge summary', text: 'Discharged home. No DVT.', facts: null });
    expect(readFhirBundle({ resourceType: 'Patient' }).issues[0]!.message).toMatch(/not a FHIR Bundle/);
  });
});
