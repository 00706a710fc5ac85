import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import type { Role } from '../../src/repositories/api-keys.ts';
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

const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/problem+json',
  'text/json',
  'application/xml',
  'application/json, text/plain',
  ';;;',
  '',
  'image/png',
);

/**
 * Header trouble a client can send, by name so a counterexample says which. Values the platform itself refuses to
 * send (CR, LF, NUL) are left out. An Authorization header here joins the run's own key, if it has one, into one
 * value with a comma: the way a duplicated header arrives.
 */
const headerVariants: Record<string, (tokens: Record<Role, string>) => Record<string, string>> = {
  none: () => ({}),
  'unsafe request id': () => ({ 'X-Request-Id': '<bad id>' }),
  'huge request id': () => ({ 'X-Request-Id': 'r'.repeat(100_000) }),
  'huge unknown header': () => ({ 'X-Padding': 'p'.repeat(100_000) }),
  'html accept': () => ({ Accept: 'text/html' }),
  'xml only accept': () => ({ Accept: 'application/xml' }),
  'garbage accept': () => ({ Accept: ';;q=x, */*;q=-1, application/json;q=2' }),
  'bearer without a token': () => ({ Authorization: 'Bearer' }),
  'bearer with blanks': () => ({ Authorization: 'Bearer    ' }),
  'basic scheme': () => ({ Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
  'token scheme': (tokens) => ({ Authorization: `Token ${tokens.admin}` }),
  'lower-case bearer': (tokens) => ({ Authorization: `bearer ${tokens.admin}` }),
  'two tokens in one header': (tokens) => ({ Authorization: `Bearer ${tokens.doctor} ${tokens.admin}` }),
  'two bearer headers': (tokens) => ({ Authorization: `Bearer ${tokens.coder}, Bearer ${tokens.admin}` }),
  'huge token': () => ({ Authorization: `Bearer ${'A'.repeat(100_000)}` }),
  'revoked-looking token': () => ({ Authorization: `Bearer cln_${'0'.repeat(12)}_${'A'.repeat(43)}` }),
};

describe('malformed input on every route', () => {
  it('never answers 5xx, always explains errors with problem+json, and reaches every documented route (≥ 2,000 requests)', async () => {
    const problems: string[] = [];
    const operationKey = (op: DocumentedOperation) => `${op.method} ${op.template}`;
    const sent = new Set<string>();
    // Routes whose own validation or handler answered: not refused by authentication or role, not an unknown path.
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        // Mostly a role the route allows, so malformed input gets past authorization to the route's own checks.
        fc.oneof({ weight: 2, arbitrary: fc.constant('allowed') }, fc.constantFrom('admin', 'doctor', 'coder', 'clinician', 'radiologist', 'none', 'bogus')),
        fc.boolean(),
        weirdString,
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'mrn', 'name', 'patientId', 'actorKeyId', 'since', 'until', 'q', 'k', 'format', 'action', 'status'), weirdString, { maxKeys: 4 }),
        body,
        contentType,
        fc.constantFrom(...Object.keys(headerVariants)),
        async (pick, role, useRealId, fakeId, query, payload, type, variant) => {
          const op = operations[pick % operations.length]!;
          const caller =
            role === 'allowed'
              ? op.roles[Math.floor(pick / operations.length) % Math.max(op.roles.length, 1)]
              : role === 'none' || role === 'bogus' ? undefined : (role as Role);
          const ids = useRealId ? realIds : Object.fromEntries(Object.keys(realIds).map((k) => [k, fakeId]));
          const qs = new URLSearchParams(query).toString();
          const url = fillPath(op.template, ids) + (qs ? `?${qs}` : '');
          const headers = headerVariants[variant]!(api.tokens);
          if (type) headers['content-type'] = type;
          if (role === 'bogus') headers.authorization = 'Bearer cln_000000000000_' + 'A'.repeat(43);
          let res: Response;
          try {
            res = await api.call(op.method, url, {
              role: caller,
              headers,
              body: op.method === 'GET' || op.method === 'DELETE' ? undefined : payload,
            });
          } catch (error) {
            // A URL the platform itself refuses to build is not a request the server could receive.
            if (error instanceof TypeError) return;
            throw error;
          }
          sent.add(operationKey(op));
          const text = await res.text();
          if (res.status >= 500) problems.push(`${op.method} ${url.slice(0, 120)} [${variant}] → ${res.status}: ${text.slice(0, 200)}`);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            const problem = JSON.parse(text) as { type: string; status: number; detail?: string };
            expect(problem.status).toBe(res.status);
            const refused = res.status === 401 || res.status === 403 || (res.status === 404 && problem.detail === 'No such route.');
            if (!refused) reached.add(operationKey(op));
          } else {
            reached.add(operationKey(op));
          }
        },
      ),
      { numRuns: 2000, seed: 20261127 },
    );
    expect(problems).toEqual([]);
    const documented = operations.map(operationKey).sort();
    expect([...sent].sort()).toEqual(documented);
    expect([...reached].sort()).toEqual(documented);
    // Nothing stored was lost along the way.
    expect((await api.json('GET', `/v1/notes/${realIds.notes}`, { role: 'doctor' })).body.text).toBe('Fever and cough.');
  }, 240_000);
});
