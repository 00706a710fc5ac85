import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import { documentedOperations, fillPath, type DocumentedOperation } from '../support/openapi.ts';
import { waitFor } from '../support/runtime.ts';

/**
 * Plants a unique marker in every documented path parameter, query parameter and JSON body field of every route, in
 * valid and invalid shapes (so error paths run too), lets the background work run, and asserts that the marker never
 * reaches a log line or the process's stdout/stderr.
 */
let t: TestDatabase;
let api: TestApi;
let doc: any;
let operations: DocumentedOperation[];
let dataDir: string;
let ids: Record<string, string>;
const marker = `Mrk${randomBytes(6).toString('hex')}`;
const written: string[] = [];
const originalWrites = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originalWrites[stream] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  t = await createPgliteTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-log-marker-'));
  api = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir } });
  doc = (await api.json('GET', '/openapi.json')).body;
  operations = documentedOperations(doc);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'LOG-1', name: 'Log Patient' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Fever and cough.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  ids = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId };
}, 180_000);
afterAll(async () => {
  process.stdout.write = originalWrites.stdout;
  process.stderr.write = originalWrites.stderr;
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const resolve = (schema: any): any => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);

/** The marker in the shapes a field may be checked against: plain, name-like, date-like, as a version, with a NUL. */
const plantings = [marker, `Jane ${marker} Doe`, `${marker}-1961-04-02`, `FY${marker}`, `${marker}\u0000`, `${'x'.repeat(300)}${marker}`];

describe('no patient text in logs', () => {
  it('never logs a value planted in any documented path parameter, query parameter or body field, on success or error', async () => {
    let requests = 0;
    for (const op of operations) {
      const role = op.roles[0];
      const queryNames: string[] = (op.operation.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
      const schema = resolve(resolve(op.operation.requestBody?.content?.['application/json']?.schema));
      const fields = Object.keys(schema?.properties ?? {});
      for (const planted of plantings) {
        // Path parameters: each holds the marker (a 400 or 404 path), the others stay real.
        if (/\{\w+\}/.test(op.template)) {
          const fake = Object.fromEntries(Object.keys(ids).map((k) => [k, planted]));
          await api.call(op.method, fillPath(op.template, fake), { role, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
          requests++;
        }
        const url = fillPath(op.template, ids);
        // Query parameters: one at a time (the route's other checks pass) and all at once.
        for (const name of queryNames) {
          await api.call(op.method, `${url}?${name}=${encodeURIComponent(planted)}`, { role, body: op.method === 'GET' ? undefined : {} });
          requests++;
        }
        if (queryNames.length > 0) {
          await api.call(op.method, `${url}?${queryNames.map((n) => `${n}=${encodeURIComponent(planted)}`).join('&')}`, { role });
          requests++;
        }
        // Body fields: one at a time over otherwise plausible values, then as raw text and as broken JSON.
        if (op.method !== 'GET' && op.method !== 'DELETE') {
          for (const field of fields) {
            await api.call(op.method, url, { role, body: { ...plausibleBody(op), [field]: planted } });
            requests++;
          }
          await api.call(op.method, url, { role, body: `{"text": "${planted}` });
          await api.call(op.method, url, { role, body: planted, headers: { 'content-type': 'text/plain' } });
          requests += 2;
        }
      }
    }
    // A note and a patient carrying the marker are processed in the background like any other.
    const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `LOG-${marker.slice(-6)}`, name: `Jane ${marker}` } });
    const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: `${marker} has a cough and fever since Monday.` } });
    await waitFor(async () => ['processed', 'failed'].includes((await api.json('GET', `/v1/notes/${note.body.noteId}`, { role: 'doctor' })).body.status), 60_000, 'note processed');
    await api.runtime.audit.drain();

    expect(requests).toBeGreaterThan(500);
    const logs = api.runtime.logLines;
    expect(logs.length).toBeGreaterThan(requests); // one access line per request at least: the logs were captured
    expect(logs.some((l) => l.includes('"level":50') || l.includes('unhandled error'))).toBe(false);
    const leaks = [...logs, ...written].filter((l) => l.includes(marker));
    expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
    // The marker did reach the server: it is stored where it belongs.
    expect((await api.json('GET', `/v1/patients/${patient.body.id}`, { role: 'doctor' })).body.name).toContain(marker);
  }, 600_000);
});

/** A body the route would accept, so a planted field is checked on its own rather than refused for missing others. */
function plausibleBody(op: DocumentedOperation): Record<string, unknown> {
  const path = op.template;
  if (path === '/v1/patients') return { mrn: `M-${randomBytes(4).toString('hex')}`, name: 'A Name' };
  if (path.endsWith('/notes')) return { text: 'Cough.' };
  if (path === '/v1/cohort/search') return { query: 'cough', purpose: 'quality review', k: 5 };
  if (path === '/v1/icd10/suggest') return { text: 'Cough.' };
  if (path === '/v1/keys') return { role: 'doctor', label: 'a key' };
  if (path.endsWith('/read')) return { agreement: 'agree' };
  if (path === '/v1/structure') return { text: 'Cough.' };
  return {};
}
