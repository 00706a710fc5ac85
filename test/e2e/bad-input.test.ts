import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import { documentedOperations, fillPath, type DocumentedOperation } from '../support/openapi.ts';

let t: TestDatabase;
let api: TestApi;
let operations: DocumentedOperation[];
let dataDir: string;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-bad-input-'));
  api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir } });
  operations = documentedOperations((await api.json('GET', '/openapi.json')).body);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'BAD-1', name: 'Bad Input' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Cough.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  ids = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId };
});
afterAll(async () => {
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectProblem(res: Response, status: number, what: string) {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type'), what).toContain('application/problem+json');
  expect(JSON.parse(text).status).toBe(status);
}

describe('bad input that used to answer 500', () => {
  it('an unknown code-set version is 404 on lookup and search, a malformed one 400, and neither is logged', async () => {
    const marker = 'Jane Marker 1961-04-02';
    await expectProblem(await api.call('GET', `/v1/icd10/codes/J18.9?version=FY1999`, { role: 'coder' }), 404, 'lookup, unknown version');
    await expectProblem(await api.call('GET', `/v1/icd10/search?q=pneumonia&version=FY1999`, { role: 'coder' }), 404, 'search, unknown version');
    const planted = encodeURIComponent(marker);
    await expectProblem(await api.call('GET', `/v1/icd10/codes/J18.9?version=${planted}`, { role: 'coder' }), 400, 'lookup, malformed version');
    await expectProblem(await api.call('GET', `/v1/icd10/search?q=${planted}&version=${planted}`, { role: 'coder' }), 400, 'search, malformed version');
    await expectProblem(await api.call('GET', `/v1/icd10/search?q=pneumonia&version=..%2F..%2Fetc`, { role: 'coder' }), 400, 'search, path in version');
    // The installed version still answers.
    expect((await api.call('GET', '/v1/icd10/codes/J18.9?version=FY2021', { role: 'coder' })).status).toBe(200);
    expect(api.runtime.logLines.join('\n')).not.toContain('Marker');
  });

  it('a cursor holding the largest JavaScript date is 400 on every keyset-paginated list', async () => {
    const lists = operations.filter((o) => o.method === 'GET' && (o.operation.parameters ?? []).some((p: { name: string }) => p.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(6);
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = [
      [new Date(8.64e15).toISOString(), ids.patients], // +275760-09-13T00:00:00.000Z
      ['99999999999999999999', ids.patients],
      ['2026-12-03T10:00:00Z', ids.patients], // not how the server writes instants
    ].map(cursor);
    for (const op of lists) {
      const url = fillPath(op.template, ids);
      for (const c of forged) await expectProblem(await api.call('GET', `${url}?cursor=${c}`, { role: op.roles[0]! }), 400, `${op.template} with a forged cursor`);
      // A well-formed instant far ahead is a valid position: past the last row, an empty page.
      const late = await api.json('GET', `${url}?cursor=${cursor(['9999-12-31T23:59:59.999Z', ids.patients])}`, { role: op.roles[0]! });
      expect(late.status, op.template).toBeLessThan(500);
    }
  });

  it('a NUL in the cohort purpose or any other stored string is 400, escaped or raw, in bodies and URLs', async () => {
    const cohort = { query: 'pneumonia', purpose: 'quality review\u0000', k: 5 };
    await expectProblem(await api.call('POST', '/v1/cohort/search', { role: 'clinician', body: cohort }), 400, 'cohort purpose');
    await expectProblem(await api.call('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'NUL-1', name: 'A\u0000B' } }), 400, 'patient name');
    await expectProblem(
      await api.call('POST', `/v1/patients/${ids.patients}/notes`, { role: 'doctor', body: '{"text":"Cough\\u0000 today."}' }),
      400,
      'note text, JSON escape',
    );
    await expectProblem(await api.call('POST', `/v1/structure`, { role: 'doctor', body: 'Cough\u0000', headers: { 'content-type': 'text/plain' } }), 400, 'text body');
    await expectProblem(await api.call('GET', `/v1/patients?name=A%00B`, { role: 'doctor' }), 400, 'query');
    await expectProblem(await api.call('GET', `/v1/icd10/codes/J18%00`, { role: 'coder' }), 400, 'path');
    // An escaped backslash before "u0000" is text, not a NUL.
    const literal = await api.call('POST', '/v1/patients', { role: 'doctor', body: '{"mrn":"NUL-2","name":"back\\\\u0000slash"}' });
    expect(literal.status).toBe(201);
  });

  it('invalid UTF-8 in a JSON or text body or in the URL is 400, not silently replaced', async () => {
    const invalid = Buffer.concat([Buffer.from('{"mrn":"UTF-1","name":"Ana '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    await expectProblem(await api.call('POST', '/v1/patients', { role: 'doctor', body: new Uint8Array(invalid) }), 400, 'JSON body');
    const text = Buffer.concat([Buffer.from('Cough '), Buffer.from([0xff, 0xfe])]);
    await expectProblem(await api.call('POST', '/v1/structure', { role: 'doctor', body: new Uint8Array(text), headers: { 'content-type': 'text/plain' } }), 400, 'text body');
    await expectProblem(await api.call('GET', '/v1/patients?name=%C3%28', { role: 'doctor' }), 400, 'query');
    await expectProblem(await api.call('GET', '/v1/patients?name=%E0%A4', { role: 'doctor' }), 400, 'truncated sequence');
    expect((await api.call('GET', `/v1/patients?name=${encodeURIComponent('Nguyễn')}`, { role: 'doctor' })).status).toBe(200);
  });

  it('dates outside 1900–2200 are refused on every date input', async () => {
    for (const birthDate of ['9999-01-01', '0000-01-01', '1899-12-31']) {
      await expectProblem(await api.call('POST', '/v1/patients', { role: 'doctor', body: { mrn: `Y-${birthDate}`, birthDate } }), 400, `birthDate ${birthDate}`);
    }
    expect((await api.call('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'Y-OK', birthDate: '1931-02-28' } })).status).toBe(201);
    await expectProblem(
      await api.call('POST', `/v1/patients/${ids.patients}/notes`, { role: 'doctor', body: { text: 'Cough.', authoredAt: '9999-12-31T00:00:00Z' } }),
      400,
      'authoredAt',
    );
    await expectProblem(await api.call('GET', `/v1/patients/${ids.patients}/search?q=cough&since=9999-01-01`, { role: 'doctor' }), 400, 'history since');
    await expectProblem(await api.call('GET', '/v1/audit?until=9999-12-31T00:00:00Z', { role: 'admin' }), 400, 'audit until');
    await expectProblem(await api.call('GET', '/v1/imaging/feedback?since=0001-01-01T00:00:00Z', { role: 'radiologist' }), 400, 'feedback since');
    await expectProblem(await api.call('GET', '/v1/coding/export?since=2201-01-01T00:00:00Z', { role: 'coder' }), 400, 'export since');
  });
});
