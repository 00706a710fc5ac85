import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import { documentedOperations, fillPath, rolesOutside, type DocumentedOperation } from '../support/openapi.ts';

let t: TestDatabase;
let api: TestApi;
let operations: DocumentedOperation[];
let dataDir: string;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-images-'));
  // Hundreds of bad keys on purpose: failure throttling (429) is tested on its own in hygiene.test.ts.
  api = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir, CLINOTE_AUTH_FAILURES_PER_KEY_PREFIX: '100000', CLINOTE_AUTH_FAILURES_PER_ADDRESS: '100000' } });
  operations = documentedOperations((await api.json('GET', '/openapi.json')).body);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'AUTH-1' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'No acute distress.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  // Routes over a note's results (codes, FHIR) need it processed.
  await waitFor(async () => (await api.json('GET', `/v1/notes/${note.body.noteId}`, { role: 'doctor' })).body.status === 'processed', 60_000, 'note processed');
  const encounter = await api.json('POST', `/v1/patients/${patient.body.id}/encounters`, { role: 'doctor', body: { type: 'ED', start: '2026-03-01T08:00:00Z' } });
  ids = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId, encounters: encounter.body.id };
});
afterAll(async () => {
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('authorization on every documented route', () => {
  it('documents roles on every /v1 route and security on every patient-data route', () => {
    const v1 = operations.filter((o) => o.template.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(5);
    for (const op of v1) {
      expect(op.secured, `${op.method} ${op.template} must require a key`).toBe(true);
      expect(op.roles.length, `${op.method} ${op.template} must list roles`).toBeGreaterThan(0);
    }
  });

  it('answers 401 without a key and with a bad key', async () => {
    for (const op of operations.filter((o) => o.secured)) {
      const url = fillPath(op.template, ids);
      for (const token of [undefined, 'cln_aaaaaaaaaaaa_' + 'b'.repeat(43), 'garbage']) {
        const res = await api.call(op.method, url, { token, body: op.method === 'GET' ? undefined : {} });
        expect(res.status, `${op.method} ${op.template} token=${token}`).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  it('answers 403 for every role the route does not allow', async () => {
    for (const op of operations.filter((o) => o.secured)) {
      for (const role of rolesOutside(op.roles)) {
        const res = await api.call(op.method, fillPath(op.template, ids), { role, body: op.method === 'GET' ? undefined : {} });
        expect(res.status, `${op.method} ${op.template} as ${role}`).toBe(403);
      }
    }
  });

  it('gives the admin role no patient data at all', () => {
    const patientData = operations.filter((o) => o.patientData);
    expect(patientData.length).toBeGreaterThan(10);
    for (const op of patientData) expect(op.roles, `${op.method} ${op.template}`).not.toContain('admin');
    // A job's status carries its last error message, written while working on a chart.
    expect(operations.find((o) => o.template === '/v1/jobs/{id}')?.roles).not.toContain('admin');
  });

  it('lists for radiologists only patients with images and for coders only patients with notes (minimum necessary)', async () => {
    const bare = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'AUTH-BARE', name: 'Bare Scope' } })).body;
    const noted = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'AUTH-NOTED', name: 'Noted Scope' } })).body;
    await api.call('POST', `/v1/patients/${noted.id}/notes`, { role: 'doctor', body: { text: 'Follow-up.' } });
    const listed = async (role: 'doctor' | 'clinician' | 'coder' | 'radiologist') =>
      ((await api.json('GET', '/v1/patients?limit=200', { role })).body.items as Array<{ mrn: string }>).map((p) => p.mrn).sort();
    expect(await listed('doctor')).toEqual(['AUTH-1', 'AUTH-BARE', 'AUTH-NOTED']);
    expect(await listed('clinician')).toEqual(['AUTH-1', 'AUTH-BARE', 'AUTH-NOTED']);
    expect(await listed('coder')).toEqual(['AUTH-1', 'AUTH-NOTED']);
    expect(await listed('radiologist')).toEqual(['AUTH-1']);
    // A patient outside the role's scope is absent, found neither by id nor by MRN or name.
    for (const [role, outside, inside] of [
      ['coder', [bare.id], [noted.id, ids.patients]],
      ['radiologist', [bare.id, noted.id], [ids.patients]],
    ] as const) {
      for (const id of outside) expect((await api.call('GET', `/v1/patients/${id}`, { role })).status, `${role} ${id}`).toBe(404);
      for (const id of inside) expect((await api.call('GET', `/v1/patients/${id}`, { role })).status, `${role} ${id}`).toBe(200);
    }
    expect((await api.json('GET', '/v1/patients?mrn=AUTH-BARE', { role: 'coder' })).body.items).toEqual([]);
    expect((await api.json('GET', '/v1/patients?name=scope', { role: 'radiologist' })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/patients/${bare.id}`, { role: 'doctor' })).status).toBe(200);
  });

  it('audits every successful read of patient data', async () => {
    const reads = operations.filter((o) => o.patientData && o.method === 'GET');
    expect(reads.length).toBeGreaterThan(2);
    for (const op of reads) {
      const role = op.roles[0]!;
      const res = await api.call('GET', fillPath(op.template, ids), { role, headers: { 'X-Request-Id': `audit-${reads.indexOf(op)}` } });
      expect(res.status, `${op.template} as ${role}`).toBeLessThan(300);
      const events = await t.db.query<{ role: string }>('SELECT actor_role AS role FROM audit_events WHERE request_id = $1', [
        `audit-${reads.indexOf(op)}`,
      ]);
      expect(events.length, `${op.template} must record an audit event`).toBeGreaterThan(0);
      expect(events.every((e) => e.role === role)).toBe(true);
    }
  });
});
