import fc from 'fast-check';
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
let realIds: Record<string, string>;

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-images-'));
  api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir } });
  operations = documentedOperations((await api.json('GET', '/openapi.json')).body);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'FUZZ-1', name: 'Fuzz Patient' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Fever and cough.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  realIds = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId };
});
afterAll(async () => {
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '%00', '..%2F..%2Fetc', '\u0000', '💥', "'; DROP TABLE notes; --", 'x'.repeat(5000), '-1', '1e309', 'null', '[]', '{}'),
  fc.uuid(),
);

const body = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ mrn: fc.anything(), text: fc.anything(), role: fc.anything(), label: fc.anything(), kind: fc.anything(), authoredAt: fc.anything() }).map((v) => {
    try {
      return JSON.stringify(v);
    } catch {
      return '{}';
    }
  }),
  weirdString,
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'image/png');

describe('malformed input on every route', () => {
  it('never answers 5xx and always explains errors with problem+json (≥ 2,000 requests)', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom('admin', 'doctor', 'coder', 'clinician', 'radiologist', 'none', 'bogus'),
        fc.boolean(),
        weirdString,
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'mrn', 'name', 'patientId', 'since', 'until', 'q', 'k', 'format', 'action', 'status'), weirdString, { maxKeys: 4 }),
        body,
        contentType,
        fc.constantFrom<Record<string, string>>({}, { 'X-Request-Id': '<bad id>' }, { Accept: 'text/html' }, { 'Content-Length': '5' }, { Authorization: 'Bearer' }),
        async (pick, role, useRealId, fakeId, query, payload, type, extraHeaders) => {
          const op = operations[pick % operations.length]!;
          const ids = useRealId ? realIds : Object.fromEntries(Object.keys(realIds).map((k) => [k, fakeId]));
          const qs = new URLSearchParams(query).toString();
          const url = fillPath(op.template, ids) + (qs ? `?${qs}` : '');
          const headers: Record<string, string> = { ...extraHeaders };
          if (type) headers['content-type'] = type;
          if (role === 'bogus') headers.authorization = 'Bearer cln_000000000000_' + 'A'.repeat(43);
          delete headers['Content-Length'];
          let res: Response;
          try {
            res = await api.call(op.method, url, {
              role: role === 'none' || role === 'bogus' ? undefined : (role as 'admin'),
              headers,
              body: op.method === 'GET' || op.method === 'DELETE' ? undefined : payload,
            });
          } catch (error) {
            // A URL the platform itself refuses to build is not a request the server could receive.
            if (error instanceof TypeError) return;
            throw error;
          }
          if (res.status >= 500) problems.push(`${op.method} ${url.slice(0, 120)} → ${res.status}: ${(await res.text()).slice(0, 200)}`);
          if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 2000, seed: 20261127 },
    );
    expect(problems).toEqual([]);
    // Nothing stored was lost along the way.
    expect((await api.json('GET', `/v1/notes/${realIds.notes}`, { role: 'doctor' })).body.text).toBe('Fever and cough.');
  }, 240_000);
});
