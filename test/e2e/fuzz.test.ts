import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import type { Role } from '../../src/access/types.ts';
import { documentedOperations, fillPath, type DocumentedOperation } from '../support/openapi.ts';

let t: TestDatabase;
let api: TestApi;
let operations: DocumentedOperation[];
let doc: any;
let dataDir: string;
let realIds: Record<string, string>;

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-images-'));
  api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir } });
  doc = (await api.json('GET', '/openapi.json')).body;
  operations = documentedOperations(doc);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'FUZZ-1', name: 'Fuzz Patient' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Fever and cough.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  const encounter = await api.json('POST', `/v1/patients/${patient.body.id}/encounters`, { role: 'doctor', body: { type: 'ED', start: '2026-03-01T08:00:00Z' } });
  realIds = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId, encounters: encounter.body.id };
});
afterAll(async () => {
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs per `npx vitest run …/fuzz.test.ts`: modest by default so the suite stays fast; CLINOTE_FUZZ_RUNS=10000 for a long run. */
const runs = Number(process.env.CLINOTE_FUZZ_RUNS ?? 2000);

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Query-string values written into the URL as they are (not percent-encoded again): invalid UTF-8, NUL, bad escapes. */
class RawQueryValue {
  constructor(readonly raw: string) {}
}

const hostileValue = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  'x'.repeat(100_000), // 100 kB
  // Extreme and impossible dates, in every shape a date input takes.
  '0000-01-01',
  '9999-12-31',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-30',
  '2026-12-03T25:61:00Z',
  // Forged cursors: the largest and smallest JavaScript dates, year 0, unsafe numbers, injection in the id.
  cursorOf([new Date(8.64e15).toISOString(), '0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10']),
  cursorOf([new Date(-8.64e15).toISOString(), '1']),
  cursorOf(['0000-01-01T00:00:00.000Z', '1']),
  cursorOf(['99999999999999999999', '1']),
  cursorOf(['2026-12-03T16:50:12.345Z', "1' OR '1'='1"]),
  cursorOf({ sortKey: 1 }),
  // Unknown and path-like code-set versions.
  'FY1999',
  '../../etc/passwd',
  'FY2021\u0000',
);

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '%00', '..%2F..%2Fetc', '\u0000', '💥', "'; DROP TABLE notes; --", 'x'.repeat(5000), '-1', '1e309', 'null', '[]', '{}'),
  fc.uuid(),
  hostileValue,
);

/** A query value: any weird string, or raw bytes that are not UTF-8 or not valid percent-encoding. */
const queryValue = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  fc.constantFrom('%C3%28', '%FF%FE', '%E0%A4', '%ED%A0%80', '%00', '%', '%zz', 'a%C0%AFb').map((raw) => new RawQueryValue(raw)),
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
  // Raw bytes that are not UTF-8, inside otherwise valid JSON.
  fc.constantFrom([0xc3, 0x28], [0xff, 0xfe], [0xe0, 0xa4], [0xed, 0xa0, 0x80], [0xc0, 0xaf]).map((bad) =>
    new Uint8Array(Buffer.concat([Buffer.from('{"text":"Cough '), Buffer.from(bad), Buffer.from('","mrn":"X-1","purpose":"review","query":"x"}')])),
  ),
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
  it('never answers 5xx, always explains errors with problem+json, and reaches every documented route (CLINOTE_FUZZ_RUNS requests, default 2,000)', async () => {
    const problems: string[] = [];
    const operationKey = (op: DocumentedOperation) => `${op.method} ${op.template}`;
    const sent = new Set<string>();
    // Every documented query parameter and JSON body field, per operation, so each gets hostile values.
    const queryNames = (op: DocumentedOperation): string[] =>
      (op.operation.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    const resolve = (schema: any): any => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);
    const bodyFields = (op: DocumentedOperation): string[] => {
      const schema = resolve(op.operation.requestBody?.content?.['application/json']?.schema);
      return Object.keys(resolve(schema)?.properties ?? schema?.allOf?.flatMap((s: any) => Object.keys(resolve(s)?.properties ?? {})) ?? {});
    };
    const allQueryNames = [...new Set(operations.flatMap(queryNames))];
    // Routes whose own validation or handler answered: not refused by authentication or role, not an unknown path.
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        // Mostly a role the route allows, so malformed input gets past authorization to the route's own checks.
        fc.oneof({ weight: 2, arbitrary: fc.constant('allowed') }, fc.constantFrom('admin', 'doctor', 'coder', 'clinician', 'radiologist', 'none', 'bogus')),
        fc.boolean(),
        fc.oneof({ weight: 4, arbitrary: weirdString }, queryValue),
        fc.oneof(
          fc.dictionary(fc.constantFrom(...allQueryNames, 'patientId', 'actorKeyId', 'status'), queryValue, { maxKeys: 4 }),
          // Every documented query parameter of the route at once.
          fc.array(queryValue, { minLength: 12, maxLength: 12 }),
        ),
        fc.oneof(
          { weight: 3, arbitrary: body },
          // Every documented body field of the route, each with a weird or hostile value.
          fc.array(fc.oneof(weirdString, fc.anything()), { minLength: 16, maxLength: 16 }).map((values) => ({ documentedFields: values })),
        ),
        contentType,
        fc.constantFrom(...Object.keys(headerVariants)),
        async (pick, role, useRealId, fakeId, queryChoice, payloadChoice, type, variant) => {
          const op = operations[pick % operations.length]!;
          const caller =
            role === 'allowed'
              ? op.roles[Math.floor(pick / operations.length) % Math.max(op.roles.length, 1)]
              : role === 'none' || role === 'bogus' ? undefined : (role as Role);
          const placeholder = 'RAW-PATH-VALUE';
          const pathValue = fakeId instanceof RawQueryValue ? placeholder : fakeId;
          const ids = useRealId ? realIds : Object.fromEntries(Object.keys(realIds).map((k) => [k, pathValue]));
          const query: Array<[string, string | RawQueryValue]> = Array.isArray(queryChoice)
            ? queryNames(op).map((name, i) => [name, queryChoice[i % queryChoice.length]!])
            : Object.entries(queryChoice);
          const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${v instanceof RawQueryValue ? v.raw : encodeURIComponent(v)}`).join('&');
          let url = fillPath(op.template, ids) + (qs ? `?${qs}` : '');
          if (fakeId instanceof RawQueryValue) url = url.replaceAll(placeholder, fakeId.raw);
          let payload: string | Uint8Array;
          if (typeof payloadChoice === 'object' && 'documentedFields' in payloadChoice) {
            const values = payloadChoice.documentedFields;
            try {
              payload = JSON.stringify(Object.fromEntries(bodyFields(op).map((field, i) => [field, values[i % values.length]])));
            } catch {
              payload = '{}'; // fc.anything() can make values JSON cannot hold (BigInt)
            }
          } else {
            payload = payloadChoice;
          }
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
            const refused = res.status === 401 || res.status === 403 || res.status === 429 || (res.status === 404 && problem.detail === 'No such route.');
            if (!refused) reached.add(operationKey(op));
          } else {
            reached.add(operationKey(op));
          }
        },
      ),
      { numRuns: runs, seed: 20261127 },
    );
    expect(problems).toEqual([]);
    const documented = operations.map(operationKey).sort();
    expect([...sent].sort()).toEqual(documented);
    expect([...reached].sort()).toEqual(documented);
    // Nothing stored was lost along the way.
    expect((await api.json('GET', `/v1/notes/${realIds.notes}`, { role: 'doctor' })).body.text).toBe('Fever and cough.');
  }, Math.max(240_000, runs * 200));
});
