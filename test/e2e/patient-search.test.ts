/**
 * Finding a patient as a person types (issue 15) and the wrong-patient guard on note submission (issue 13 item 3),
 * over HTTP on every database back end.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchableName } from '../../src/patients/patient-name.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe.each(databaseBackends)('patient search and the wrong-patient guard on $name', (backend) => {
  let t: TestDatabase;
  let api: TestApi;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await backend.create();
    api = await createTestApi(t, { workers: false });
    const patients = [
      { mrn: 'BV-2026-000123', name: 'Chidi Okafor' },
      { mrn: 'BV-2026-000124', name: 'Nguyễn Thị Đào' },
      { mrn: 'BV-2026-000200', name: 'Lucía Ramírez' },
      { mrn: 'XY-77', name: "Siobhán O'Brien-Okafor" },
      { mrn: 'XY-78' },
    ];
    for (const body of patients) {
      const res = await api.json('POST', '/v1/patients', { role: 'doctor', body });
      expect(res.status).toBe(201);
      ids[body.mrn] = res.body.id;
    }
  });
  afterAll(async () => {
    await api.close();
    await t.drop();
  });

  const mrns = async (query: Record<string, string>) => {
    const res = await api.json('GET', `/v1/patients?${new URLSearchParams(query)}`, { role: 'clinician' });
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ mrn: string }>).map((p) => p.mrn);
  };

  it('finds a patient by surname, by any word of the name and by a word prefix, ignoring case and accents', async () => {
    expect(await mrns({ name: 'Okafor' })).toEqual(['BV-2026-000123', 'XY-77']);
    expect(await mrns({ name: 'ramirez' })).toEqual(['BV-2026-000200']);
    expect(await mrns({ name: 'RAMÍREZ' })).toEqual(['BV-2026-000200']);
    expect(await mrns({ name: 'Nguyen' })).toEqual(['BV-2026-000124']);
    expect(await mrns({ name: 'dao nguy' })).toEqual(['BV-2026-000124']); // words in any order
    expect(await mrns({ name: 'obrien' })).toEqual(['XY-77']);
    expect(await mrns({ name: 'siobhan okafor' })).toEqual(['XY-77']);
    expect(await mrns({ name: 'kafor' })).toEqual([]); // the start of a word, not any substring
    expect(await mrns({ name: '%' })).toEqual([]); // wildcards are not patterns
    expect(await mrns({ name: 'chidi_' })).toEqual(['BV-2026-000123']);
  });

  it('q finds by name or by a case-insensitive MRN prefix', async () => {
    expect(await mrns({ q: 'bv-2026-0001' })).toEqual(['BV-2026-000123', 'BV-2026-000124']);
    expect(await mrns({ q: 'XY-7' })).toEqual(['XY-77', 'XY-78']);
    expect(await mrns({ q: 'nguyễn' })).toEqual(['BV-2026-000124']);
    expect(await mrns({ q: 'BV-2026-000123' })).toEqual(['BV-2026-000123']);
    expect(await mrns({ q: '%' })).toEqual([]);
    expect(await mrns({ q: 'okafor', limit: '1' })).toEqual(['BV-2026-000123']);
  });

  it("migration 0009 folds names stored before it as the app folds new ones", async () => {
    const names = ['Nguyễn Thị Đào', "Siobhán O'Brien-Okafor", 'JOSÉ RAMÍREZ', 'Łukasz Wałęsa', 'Ærøskøbing Straße', 'Ada  Lovelace'];
    const backfill = readFileSync('src/db/migrations/0009_patient_search.sql', 'utf8').match(/UPDATE patients[\s\S]*?;/)![0];
    await t.db.transaction(async (tx) => {
      for (const [i, name] of names.entries()) {
        await tx.query('INSERT INTO patients (id, mrn, name) VALUES ($1, $2, $3)', [randomUUID(), `OLD-${i}`, name]);
      }
      await tx.query(backfill);
      const rows = await tx.query<{ name: string; folded: string }>(`SELECT name, name_search AS folded FROM patients WHERE mrn LIKE 'OLD-%' ORDER BY mrn`);
      expect(rows.map((r) => r.folded)).toEqual(names.map(searchableName));
      await tx.query(`DELETE FROM patients WHERE mrn LIKE 'OLD-%'`);
    });
  });

  it('refuses a note whose patientId differs from the path, saves nothing, and accepts a matching or absent one', async () => {
    const [chidi, lucia] = [ids['BV-2026-000123']!, ids['BV-2026-000200']!];
    const text = 'Assessment: essential hypertension.';
    const refused = await api.call('POST', `/v1/patients/${chidi}/notes`, { role: 'doctor', body: { text, patientId: lucia } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: '/problems/patient-mismatch', status: 409 });
    const notes = async (id: string) => (await api.json('GET', `/v1/patients/${id}/notes`, { role: 'doctor' })).body.items.length as number;
    expect([await notes(chidi), await notes(lucia)]).toEqual([0, 0]);

    expect((await api.json('POST', `/v1/patients/${chidi}/notes`, { role: 'doctor', body: { text, patientId: chidi.toUpperCase() } })).status).toBe(202);
    expect((await api.json('POST', `/v1/patients/${chidi}/notes`, { role: 'doctor', body: { text } })).status).toBe(202);
    expect((await api.json('POST', `/v1/patients/${chidi}/notes`, { role: 'doctor', body: { text, patientId: 'not-a-uuid' } })).status).toBe(400);
    expect(await notes(chidi)).toBe(2);

    const spec = (await api.json('GET', '/openapi.json')).body;
    expect(spec.components.schemas.NewNote.properties.patientId.description).toMatch(/patient-mismatch/);
  });
});
