import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structureNote } from '../../src/notes/structuring/structure.ts';
import { sharedDataDir } from '../../src/config/paths.ts';
import { listBundleFiles, readBundleFiles } from '../../src/history/fhir-bundle-files.ts';
import { importFhir, type ImportReport } from '../../src/history/fhir-import-service.ts';
import { indexNote } from '../../src/history/indexing-service.ts';
import { searchPatientHistory } from '../../src/history/search-service.ts';
import { loadPatientSummary } from '../../src/history/summary-service.ts';
import { getEmbedder } from '../../src/ml/embedder.ts';
import { findNote } from '../../src/notes/repository.ts';
import { findPatientByMrn } from '../../src/patients/repository.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';

const SYNTHEA = path.join(sharedDataDir(), 'eval', 'synthea', 'smart-r4-bundles');

interface Coded {
  resourceType: string;
  code?: { coding?: Array<{ system: string; code: string }> };
  medicationCodeableConcept?: { coding?: Array<{ code: string }> };
  clinicalStatus?: { coding?: Array<{ code: string }> };
  status?: string;
  onsetDateTime?: string;
  authoredOn?: string;
}

/** What a clinician expects from the bundle itself: the codes whose latest record is active. */
function expectedFromBundle(file: string) {
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: Array<{ resource: Coded & { id: string; identifier?: Array<{ type?: { coding?: Array<{ code: string }> }; value: string }> } }> };
  const resources = bundle.entry.map((e) => e.resource);
  const latest = (items: Coded[], key: (r: Coded) => string, date: (r: Coded) => string, active: (r: Coded) => boolean) => {
    const byKey = new Map<string, Coded>();
    for (const r of [...items].sort((a, b) => date(a).localeCompare(date(b)))) byKey.set(key(r), r);
    return new Set([...byKey].filter(([, r]) => active(r)).map(([k]) => k));
  };
  const patient = resources.find((r) => r.resourceType === 'Patient')!;
  return {
    mrn: patient.identifier!.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))!.value,
    problems: latest(
      resources.filter((r) => r.resourceType === 'Condition'),
      (r) => `snomed:${r.code!.coding![0]!.code}`,
      (r) => r.onsetDateTime ?? '',
      (r) => r.clinicalStatus?.coding?.[0]?.code === 'active',
    ),
    medications: latest(
      resources.filter((r) => r.resourceType === 'MedicationRequest'),
      (r) => `rxnorm:${r.medicationCodeableConcept!.coding![0]!.code}`,
      (r) => r.authoredOn ?? '',
      (r) => r.status === 'active',
    ),
    allergies: new Set(resources.filter((r) => r.resourceType === 'AllergyIntolerance').map((r) => `snomed:${r.code!.coding![0]!.code}`)),
  };
}

async function tableCounts(t: TestDatabase) {
  const [row] = await t.db.query<Record<string, string | number>>(
    `SELECT (SELECT count(*) FROM patients) AS patients, (SELECT count(*) FROM notes) AS notes, (SELECT count(*) FROM history_facts) AS facts`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

describe('FHIR import of the Synthea bundles', () => {
  let t: TestDatabase;
  let first: ImportReport;
  const files = listBundleFiles(SYNTHEA);

  beforeAll(async () => {
    t = await createPgliteTestDatabase();
    first = await importFhir(t.db, readBundleFiles(files), { pipelineVersion: 'test' });
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('loads all 30 bundles: every patient, one note per encounter, coded facts, no issues', async () => {
    expect(files).toHaveLength(30);
    expect(first).toMatchObject({ files: 30, patients: 30, patientsCreated: 30, documentsReplaced: 0, documentsUnchanged: 0, issues: [] });
    expect(first.documentsCreated).toBe(first.documents);
    expect(new Set(first.writtenPatientIds).size).toBe(30);
    expect(first.documents).toBeGreaterThanOrEqual(502);
    expect(await tableCounts(t)).toEqual({ patients: 30, notes: first.documents, facts: first.facts });
  });

  it('changes nothing when the same bundles are imported again', async () => {
    const before = await tableCounts(t);
    const again = await importFhir(t.db, readBundleFiles(files), { pipelineVersion: 'test' });
    expect(again).toMatchObject({ patients: 30, patientsCreated: 0, documentsCreated: 0, documentsReplaced: 0, documentsUnchanged: first.documents, facts: 0 });
    expect(again.createdNoteIds).toEqual([]);
    expect(again.writtenPatientIds).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it("summarises each patient's active conditions, current medications and allergies as the bundle states them", async () => {
    let checkedMeds = 0;
    let checkedAllergies = 0;
    for (const file of files) {
      const expected = expectedFromBundle(file);
      const patient = (await findPatientByMrn(t.db, expected.mrn))!;
      const summary = await loadPatientSummary(t.db, patient.id);
      expect(new Set(summary.problems.map((p) => p.codes[0])), path.basename(file)).toEqual(expected.problems);
      expect(new Set(summary.medications.map((m) => m.codes[0])), path.basename(file)).toEqual(expected.medications);
      expect(new Set(summary.allergies.map((a) => a.codes[0])), path.basename(file)).toEqual(expected.allergies);
      checkedMeds += expected.medications.size;
      checkedAllergies += expected.allergies.size;
      // Every item points at the line of a stored note that names it.
      for (const p of summary.problems) {
        const note = (await findNote(t.db, p.sources[0]!.noteId))!;
        expect(note.text.slice(p.sources[0]!.start, p.sources[0]!.end).startsWith(p.display)).toBe(true);
      }
    }
    expect(checkedMeds).toBeGreaterThan(10);
    expect(checkedAllergies).toBeGreaterThan(10);
  });

  it("makes an imported patient's record searchable once its notes are indexed", async () => {
    const embedder = await getEmbedder();
    const patient = (await findPatientByMrn(t.db, expectedFromBundle(files[0]!).mrn))!;
    const notes = await t.db.query<{ id: string }>('SELECT id FROM notes WHERE patient_id = $1', [patient.id]);
    for (const { id } of notes) {
      const note = (await findNote(t.db, id))!;
      await indexNote(t.db, embedder, note, structureNote(note.text));
    }
    const [hit] = await searchPatientHistory(t.db, embedder, patient.id, { text: 'influenza vaccination', k: 1 });
    expect(hit!.section).toBe('immunizations');
    expect(hit!.text).toMatch(/Influenza/);
    // Coded facts stay the import's: structuring the rendered note adds none.
    const origins = await t.db.query<{ origin: string }>('SELECT DISTINCT origin FROM history_facts WHERE patient_id = $1', [patient.id]);
    expect(origins.map((o) => o.origin)).toEqual(['fhir']);
  });

  it('reports unreadable files and unusable resources, and imports the rest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clinote-fhir-'));
    try {
      writeFileSync(path.join(dir, 'a-broken.json'), '{"resourceType": "Bundle", "entry": [');
      writeFileSync(path.join(dir, 'b-not-a-bundle.json'), '{"resourceType": "Patient", "id": "x"}');
      writeFileSync(
        path.join(dir, 'c-partly-bad.json'),
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'collection',
          entry: [
            { resource: { resourceType: 'Patient', id: 'p1', gender: 'female' } },
            { resource: { resourceType: 'Encounter', id: 'e1', subject: { reference: 'Patient/p1' }, period: { start: '2021-03-04T09:00:00Z' } } },
            { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, encounter: { reference: 'Encounter/e1' } } },
            {
              resource: {
                resourceType: 'Condition',
                id: 'c2',
                subject: { reference: 'Patient/p1' },
                encounter: { reference: 'Encounter/e1' },
                clinicalStatus: { coding: [{ code: 'active' }] },
                code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }] },
              },
            },
          ],
        }),
      );
      const report = await importFhir(t.db, readBundleFiles(listBundleFiles(dir)), { pipelineVersion: 'test' });
      expect(report.issues.map((i) => `${path.basename(i.file)} ${i.resource}`)).toEqual([
        'a-broken.json Bundle',
        'b-not-a-bundle.json Bundle',
        'c-partly-bad.json Condition/c1',
      ]);
      expect(report).toMatchObject({ files: 3, patients: 1, documentsCreated: 1, facts: 1 });
      const patient = (await findPatientByMrn(t.db, 'FHIR-p1'))!;
      expect((await loadPatientSummary(t.db, patient.id)).problems.map((p) => p.display)).toEqual(['Asthma']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
