import { serve, type ServerType } from '@hono/node-server';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { answerClientErrorsAsProblems } from '../../src/api/client-errors.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';
import { documentedOperations, fillPath, type DocumentedOperation } from '../support/openapi.ts';

let t: TestDatabase;
let api: TestApi;
/** A second process over the same database, with tight failure limits. */
let other: TestApi;
let operations: DocumentedOperation[];
let dataDir: string;
let ids: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-hygiene-'));
  // A data folder left world-readable by an older version, with a file in it.
  chmodSync(dataDir, 0o755);
  mkdirSync(path.join(dataDir, 'images'), { mode: 0o755 });
  writeFileSync(path.join(dataDir, 'images', 'old.bin'), 'old', { mode: 0o644 });
  t = await createPgliteTestDatabase(path.join(dataDir, 'pgdata'));
  api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir } });
  other = await createTestApi(t, {
    workers: false,
    env: { CLINOTE_DATA_DIR: dataDir, CLINOTE_AUTH_FAILURES_PER_KEY_PREFIX: '3', CLINOTE_AUTH_FAILURES_PER_ADDRESS: '8' },
  });
  operations = documentedOperations((await api.json('GET', '/openapi.json')).body);
  const patient = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'HYG-1', name: 'Hygiene Patient' } });
  const note = await api.json('POST', `/v1/patients/${patient.body.id}/notes`, { role: 'doctor', body: { text: 'Cough for three days.' } });
  const image = await uploadTriagedImage(api, patient.body.id);
  ids = { patients: patient.body.id, notes: note.body.noteId, jobs: note.body.jobId, images: image.imageId };
}, 180_000);
afterAll(async () => {
  await other.close();
  await api.close();
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('data folder', () => {
  it('is owner-only after start: an old world-readable folder is tightened, the database, WAL and images written since are 0700/0600', () => {
    const dirs: string[] = [];
    const files: string[] = [];
    const walk = (dir: string) => {
      dirs.push(dir);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    walk(dataDir);
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(files.some((f) => f.includes(`${path.sep}pg_wal${path.sep}`))).toBe(true);
    expect(files.some((f) => /images\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).toBe(true);
    expect(dirs.filter((d) => mode(d) !== 0o700).map((d) => `${d} ${mode(d).toString(8)}`)).toEqual([]);
    expect(files.filter((f) => mode(f) !== 0o600).map((f) => `${f} ${mode(f).toString(8)}`)).toEqual([]);
  });
});

describe('responses', () => {
  it('carry Cache-Control: no-store on every /v1 route, successes and errors alike', async () => {
    const v1 = operations.filter((o) => o.template.startsWith('/v1/'));
    for (const op of v1) {
      const res = await api.call(op.method, fillPath(op.template, ids), { role: op.roles[0], body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
      expect(res.headers.get('cache-control'), `${op.method} ${op.template} → ${res.status}`).toMatch(/no-store/);
    }
    expect((await api.call('GET', '/v1/no-such-thing', { role: 'doctor' })).headers.get('cache-control')).toMatch(/no-store/);
  });

  it('answer a wrong method on a known path with 405 and Allow, an unknown path with 404', async () => {
    const wrong = await api.call('DELETE', '/v1/patients', { role: 'doctor' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await wrong.json()).type).toBe('/problems/method-not-allowed');
    const put = await api.call('PUT', `/v1/notes/${ids.notes}`, { role: 'doctor', body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect((await api.call('GET', '/v1/nothing-here', { role: 'doctor' })).status).toBe(404);
    expect((await api.call('POST', '/health')).status).toBe(405);
  });

  it('answer oversized headers with 431 problem+json over a real socket', async () => {
    const server: ServerType = serve({ fetch: createApp(api.runtime).fetch, hostname: '127.0.0.1', port: 0 });
    answerClientErrorsAsProblems(server as Server);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { 'X-Padding': 'p'.repeat(64 * 1024) } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(431);
      expect(answer.type).toContain('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/header-fields-too-large', status: 431 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('authentication', () => {
  it('takes a revocation made by another process everywhere within 2 s', async () => {
    const created = await api.json('POST', '/v1/keys', { role: 'admin', body: { role: 'doctor', label: 'revoked soon' } });
    const token = created.body.token as string;
    expect((await other.call('GET', '/v1/me', { token })).status).toBe(200); // now cached in the other process
    expect((await api.call('DELETE', `/v1/keys/${created.body.id}`, { role: 'admin' })).status).toBeLessThan(300);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await other.call('GET', '/v1/me', { token })).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
  });

  it('throttles failed authentication per key prefix and per address with 429 problem+json and Retry-After', async () => {
    const forged = (prefix: string) => `cln_${prefix}_${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i++) expect((await other.call('GET', '/v1/me', { token: forged('aaaaaaaaaaaa') })).status).toBe(401);
    const throttled = await other.call('GET', '/v1/me', { token: forged('aaaaaaaaaaaa') });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await throttled.json()).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    // Valid keys are not throttled, even from the same address.
    expect((await other.call('GET', '/v1/me', { role: 'doctor' })).status).toBe(200);
    // Four failures so far from this address: four more prefixes answer 401, the ninth failure 429.
    for (const prefix of ['bbbbbbbbbbbb', 'cccccccccccc', 'dddddddddddd', 'eeeeeeeeeeee']) {
      expect((await other.call('GET', '/v1/me', { token: forged(prefix) })).status).toBe(401);
    }
    expect((await other.call('GET', '/v1/me', { token: forged('ffffffffffff') })).status).toBe(429);
    expect((await other.call('GET', '/v1/me', { token: 'not-even-a-key' })).status).toBe(429);
  });

  it('audits refused attempts (401, 403, 429) without the secret', async () => {
    await api.call('GET', '/v1/keys', { role: 'coder', headers: { 'X-Request-Id': 'refused-403' } });
    await api.call('GET', '/v1/patients', { token: `cln_zzzzzzzzzzzz_${'S'.repeat(43)}`, headers: { 'X-Request-Id': 'refused-401' } });
    await api.call('GET', '/v1/patients', { headers: { 'X-Request-Id': 'refused-anonymous' } });
    await api.runtime.audit.drain();
    await other.runtime.audit.drain();
    const rows = await t.db.query<{ requestId: string; role: string; detail: Record<string, unknown> }>(
      `SELECT request_id AS "requestId", actor_role AS role, detail FROM audit_events WHERE action = 'auth.refused' ORDER BY id`,
    );
    const byRequest = Object.fromEntries(rows.map((r) => [r.requestId, r]));
    expect(byRequest['refused-403']).toMatchObject({ role: 'coder', detail: { status: 403, method: 'GET', route: '/v1/keys' } });
    expect(byRequest['refused-401']).toMatchObject({ role: 'none', detail: { status: 401, method: 'GET', route: '/v1/patients', keyPrefix: 'zzzzzzzzzzzz' } });
    expect(byRequest['refused-anonymous']).toMatchObject({ role: 'none', detail: { status: 401 } });
    expect(rows.filter((r) => r.detail.status === 429).length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows)).not.toContain('SSSS');
  });

  it('audits code suggestions for raw text (its size, not its words)', async () => {
    const res = await api.call('POST', '/v1/icd10/suggest', { role: 'coder', body: { text: 'Community-acquired pneumonia, Zyxwv.' }, headers: { 'X-Request-Id': 'suggest-text' } });
    expect(res.status).toBe(200);
    await api.runtime.audit.drain();
    const rows = await t.db.query<{ action: string; role: string; detail: Record<string, unknown> }>(
      `SELECT action, actor_role AS role, detail FROM audit_events WHERE request_id = 'suggest-text'`,
    );
    expect(rows).toEqual([{ action: 'icd10.suggest.text', role: 'coder', detail: { chars: 36 } }]);
  });
});
