/** FHIR Encounters in `clinote import fhir` become Clinote encounters, their notes attached; re-import adds none. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleFiles } from '../../src/history/fhir-bundle-files.ts';
import { importFhir } from '../../src/history/fhir-import-service.ts';
import { listEncounterNotes, listPatientEncounters } from '../../src/encounters/repository.ts';
import { findPatientByMrn } from '../../src/patients/repository.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';

let t: TestDatabase;
let dir: string;

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { resource: { resourceType: 'Patient', id: 'p1', identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'FHIR-ENC-1' }], gender: 'female', birthDate: '1950-02-03' } },
    { resource: { resourceType: 'Encounter', id: 'stay-1', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/p1' }, period: { start: '2026-02-01T10:00:00Z', end: '2026-02-04T12:00:00Z' } } },
    { resource: { resourceType: 'Encounter', id: 'ed-1', status: 'finished', class: { code: 'EMER' }, subject: { reference: 'Patient/p1' }, period: { start: '2026-01-10T02:00:00Z', end: '2026-01-10T05:00:00Z' } } },
    {
      resource: {
        resourceType: 'Condition',
        id: 'c1',
        subject: { reference: 'Patient/p1' },
        encounter: { reference: 'Encounter/stay-1' },
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '233604007', display: 'Pneumonia' }], text: 'Pneumonia' },
        onsetDateTime: '2026-02-01T10:00:00Z',
      },
    },
  ],
};

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'clinote-fhir-enc-'));
  writeFileSync(path.join(dir, 'bundle.json'), JSON.stringify(bundle));
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('FHIR Encounter import', () => {
  it('creates an encounter per FHIR Encounter with its type, period and id, and puts its note in it; a re-import adds nothing', async () => {
    const file = path.join(dir, 'bundle.json');
    await importFhir(t.db, readBundleFiles([file]), { pipelineVersion: 'test' });
    const patient = (await findPatientByMrn(t.db, 'FHIR-ENC-1'))!;
    const encounters = (await listPatientEncounters(t.db, patient.id, { limit: 10 })).items;
    expect(encounters.map((e) => [e.externalId, e.type, e.start.toISOString(), e.end?.toISOString()])).toEqual([
      ['stay-1', 'inpatient', '2026-02-01T10:00:00.000Z', '2026-02-04T12:00:00.000Z'],
      ['ed-1', 'ED', '2026-01-10T02:00:00.000Z', '2026-01-10T05:00:00.000Z'],
    ]);
    const stayNotes = await listEncounterNotes(t.db, encounters[0]!.id);
    expect(stayNotes).toHaveLength(1);
    expect(stayNotes[0]!.text).toMatch(/Pneumonia/);
    await importFhir(t.db, readBundleFiles([file]), { pipelineVersion: 'test' });
    expect((await listPatientEncounters(t.db, patient.id, { limit: 10 })).items).toHaveLength(2);
  });
});
