import type { AllergyIntolerance, Bundle, Composition, Condition, FamilyMemberHistory, MedicationStatement, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { EXTRACTED_BY_EXTENSION, SOURCE_SPAN_EXTENSION, toFhirBundle } from './fhir.ts';
import { structureNote, structureNoteWithLearnedFinder } from './structure.ts';

const text = [
  'HISTORY OF PRESENT ILLNESS',
  'No chest pain but reports dyspnea. History of DVT. Her mother had breast cancer. Rule out PE.',
  '',
  'MEDICATIONS',
  'Metoprolol 25 mg PO BID, hold if HR < 60.',
  '',
  'ALLERGIES',
  'NKDA.',
  '',
  'VITALS',
  'BP 128/82, HR 72.',
  '',
  'RESULTS',
  'Creatinine 1.4 mg/dL (H).',
].join('\n');

function build(): Bundle {
  return toFhirBundle(structureNote(text), { text, patientId: 'pat-1', noteId: 'note-1', authoredAt: '2024-05-01T10:00:00Z' });
}

function resources<T>(bundle: Bundle, type: string): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
}

describe('toFhirBundle', () => {
  it('returns a document bundle led by a Composition whose sections carry LOINC codes and resolvable entries', () => {
    const bundle = build();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: '2024-05-01T10:00:00Z', identifier: { system: 'urn:ietf:rfc:3986' } });
    const composition = bundle.entry![0]!.resource as Composition;
    expect(composition).toMatchObject({ resourceType: 'Composition', status: 'preliminary', subject: { reference: 'Patient/pat-1' }, date: '2024-05-01T10:00:00Z' });
    expect(composition.author.length).toBeGreaterThan(0);
    expect(composition.section!.map((s) => s.code?.coding?.[0]?.code)).toEqual(['10164-2', '10160-0', '48765-2', '8716-3', '30954-2']);
    const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const section of composition.section!) {
      expect(section.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/);
      for (const entry of section.entry ?? []) expect(fullUrls.has(entry.reference)).toBe(true);
    }
    for (const entry of bundle.entry!) {
      expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
    }
    // Same input, same bundle.
    expect(build()).toEqual(bundle);
  });

  it('asserts only present patient conditions; history is inactive, suspicion provisional, relatives go to FamilyMemberHistory', () => {
    const bundle = build();
    const conditions = resources<Condition>(bundle, 'Condition');
    const byText = new Map(conditions.map((c) => [c.code?.text, c]));
    expect(byText.has('chest pain')).toBe(false);
    expect(byText.get('dyspnea')?.clinicalStatus?.coding?.[0]?.code).toBe('active');
    expect(byText.get('DVT')).toMatchObject({ clinicalStatus: { coding: [{ code: 'inactive' }] }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I82.40' }] } });
    expect(byText.get('PE')?.verificationStatus?.coding?.[0]?.code).toBe('provisional');
    expect(byText.has('breast cancer')).toBe(false);
    const [family] = resources<FamilyMemberHistory>(bundle, 'FamilyMemberHistory');
    expect(family).toMatchObject({ relationship: { coding: [{ code: 'MTH' }] }, condition: [{ code: { text: 'breast cancer' } }], patient: { reference: 'Patient/pat-1' } });
    const span = conditions[0]!.extension!.find((e) => e.url === SOURCE_SPAN_EXTENSION)!;
    const start = span.extension!.find((e) => e.url === 'start')!.valueInteger!;
    const end = span.extension!.find((e) => e.url === 'end')!.valueInteger!;
    expect(text.slice(start, end)).toBe(conditions[0]!.code!.text);
  });

  it('names the extractor of each condition: the lexicon rules or the learned mention finder', async () => {
    const note = 'Assessment: pseudogout of the right knee. Hypertension.';
    const finder = {
      findMentions: async (t: string) => [{ start: t.indexOf('pseudogout'), end: t.indexOf('pseudogout') + 10, type: 'disease' as const, score: 0.9 }],
      confidentCode: () => null,
    };
    const bundle = toFhirBundle(await structureNoteWithLearnedFinder(note, finder), { text: note, patientId: 'pat-1', noteId: 'note-2', authoredAt: '2024-05-01T10:00:00Z' });
    const extractor = new Map(resources<Condition>(bundle, 'Condition').map((c) => [c.code?.text, c.extension!.find((e) => e.url === EXTRACTED_BY_EXTENSION)?.valueCode]));
    expect(extractor).toEqual(new Map([['pseudogout of the right knee', 'ner'], ['Hypertension', 'rules']]));
  });

  it('writes medications with a structured dosage', () => {
    const [statement] = resources<MedicationStatement>(build(), 'MedicationStatement');
    expect(statement).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6918' }], text: 'Metoprolol' },
      subject: { reference: 'Patient/pat-1' },
    });
    const dosage = statement!.dosage![0]!;
    expect(dosage.timing).toMatchObject({ repeat: { frequency: 2, period: 1, periodUnit: 'd' }, code: { coding: [{ code: 'BID' }] } });
    expect(dosage.route?.coding?.[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: 'PO' });
    expect(dosage.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 25, system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(dosage.additionalInstruction?.[0]?.text).toBe('hold if HR < 60');
  });

  it('codes no-known-allergy statements and observations', () => {
    const bundle = build();
    const [nkda] = resources<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(nkda).toMatchObject({ code: { coding: [{ system: 'http://snomed.info/sct', code: '409137002' }] }, patient: { reference: 'Patient/pat-1' } });
    const observations = resources<Observation>(bundle, 'Observation');
    const bp = observations.find((o) => o.code.coding?.[0]?.code === '85354-9')!;
    expect(bp.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
    expect(bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value])).toEqual([['8480-6', 128], ['8462-4', 82]]);
    const hr = observations.find((o) => o.code.coding?.[0]?.code === '8867-4')!;
    expect(hr.valueQuantity).toMatchObject({ value: 72, code: '/min', system: 'http://unitsofmeasure.org' });
    const creatinine = observations.find((o) => o.code.coding?.[0]?.code === '2160-0')!;
    expect(creatinine).toMatchObject({ category: [{ coding: [{ code: 'laboratory' }] }], valueQuantity: { value: 1.4, code: 'mg/dL' }, interpretation: [{ coding: [{ code: 'H' }] }] });
  });

  it('writes reference ranges and HL7 v3 interpretations on observations, RxNorm codings and reaction words', () => {
    const bundle = toFhirBundle(structureNote('Potassium 6.8 mmol/L. HR 72. Aspirin 81 mg daily. Allergies: penicillin (hives).'), { text: '' });
    const observations = resources<Observation>(bundle, 'Observation');
    const potassium = observations.find((o) => o.code.coding?.[0]?.code === '2823-3')!;
    const hr = observations.find((o) => o.code.coding?.[0]?.code === '8867-4')!;
    expect(potassium).toMatchObject({
      referenceRange: [{ low: { value: 3.5, code: 'mmol/L' }, high: { value: 5, code: 'mmol/L' }, text: '3.5–5 mmol/L' }],
      interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH', display: 'Critical high' }] }],
    });
    expect(hr).toMatchObject({ interpretation: [{ coding: [{ code: 'N' }] }], referenceRange: [{ low: { value: 60 }, high: { value: 100 } }] });
    const [aspirin] = resources<MedicationStatement>(bundle, 'MedicationStatement');
    expect(aspirin!.medicationCodeableConcept).toEqual({ coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1191', display: 'aspirin' }], text: 'Aspirin' });
    const considered = toFhirBundle(structureNote('If pain persists, start naproxen 250 mg. Denies taking ibuprofen.'), { text: '' });
    expect(resources<MedicationStatement>(considered, 'MedicationStatement').map((m) => m.status)).toEqual(['intended', 'not-taken']);
    const [penicillin] = resources<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(penicillin!.reaction?.[0]?.manifestation).toEqual([{ coding: [{ system: 'http://snomed.info/sct', code: '247472004', display: 'Wheal (finding)' }], text: 'hives' }]);
  });

  it('writes a pending test as a registered observation without a value: "HCV antibody pending"', () => {
    const bundle = toFhirBundle(structureNote('HCV antibody pending. HCV RNA 1.2.'), { text: '' });
    const [antibody, rna] = resources<Observation>(bundle, 'Observation');
    expect(antibody).toMatchObject({ status: 'registered', code: { text: 'HCV antibody' } });
    expect(antibody!.valueString).toBeUndefined();
    expect(rna).toMatchObject({ status: 'preliminary', valueQuantity: { value: 1.2 } });
  });

  it('serialises without undefined fields and without a patient id', () => {
    const bundle = toFhirBundle(structureNote('Dyspnea.'), { text: 'Dyspnea.' });
    expect(JSON.parse(JSON.stringify(bundle))).toStrictEqual(bundle);
    expect(resources<Condition>(bundle, 'Condition')[0]!.subject).toEqual({ display: 'Unidentified patient' });
  });
});
