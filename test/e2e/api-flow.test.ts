import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgliteTestDatabase,
  databaseBackends,
  redisAvailable,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';

const setups = databaseBackends.flatMap((backend) => [
  { label: `${backend.name} + in-process queue`, backend, env: {} as Record<string, string> },
  ...(backend.name === 'postgres' && redisAvailable ? [{ label: 'postgres + BullMQ', backend, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
]);

describe.each(setups)('HTTP flow on $label', ({ backend, env }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('creates a patient and a note, processes it in the background and audits every read', async () => {
    const t = await backend.create();
    const api = await createTestApi(t, { env });
    cleanups.push(() => t.drop(), () => api.close());

    const created = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `MRN-${Date.now()}`, name: 'Le Thi B', birthDate: '1950-03-04', sex: 'female' } });
    expect(created.status).toBe(201);
    const patientId = created.body.id as string;
    expect(created.body.birthDate).toBe('1950-03-04');

    const accepted = await api.json('POST', `/v1/patients/${patientId}/notes`, {
      role: 'doctor',
      body: { text: 'Assessment: type 2 diabetes. Plan: metformin 500 mg PO BID.', kind: 'progress' },
    });
    expect(accepted.status).toBe(202);
    const { noteId, jobId } = accepted.body as { noteId: string; jobId: string };

    const note = await waitFor(async () => {
      const r = await api.json('GET', `/v1/notes/${noteId}`, { role: 'coder' });
      return r.body.status === 'processed' ? r.body : undefined;
    }, 30_000, 'note processed');
    expect(note.processedVersion).toBe(note.pipelineVersion);
    const job = await api.json('GET', `/v1/jobs/${encodeURIComponent(jobId)}`, { role: 'doctor' });
    expect(job.body).toMatchObject({ status: 'completed', resourceType: 'note', resourceId: noteId });

    const list = await api.json('GET', `/v1/patients/${patientId}/notes?limit=10`, { role: 'clinician' });
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([noteId]);

    const audit = await api.json('GET', `/v1/audit?patientId=${patientId}`, { role: 'admin' });
    const actions = audit.body.items.map((e: { action: string; actorRole: string }) => `${e.action}:${e.actorRole}`);
    expect(actions).toEqual(expect.arrayContaining(['patient.create:doctor', 'note.create:doctor', 'note.read:coder', 'note.list:clinician']));
    expect(audit.body.items.every((e: { requestId: string | null }) => typeof e.requestId === 'string')).toBe(true);

    // No patient text or names in the logs.
    const logs = api.runtime.logLines.join('\n');
    expect(logs).not.toContain('metformin');
    expect(logs).not.toContain('Le Thi B');
  });
});

describe('embedded persistence', () => {
  it('keeps keys, patients and notes across a restart on a PGlite data folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clinote-restart-'));
    try {
      const first = await createPgliteTestDatabase(dir);
      const api = await createTestApi(first);
      const p = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'R-1' } });
      const n = await api.json('POST', `/v1/patients/${p.body.id}/notes`, { role: 'doctor', body: { text: 'Chest pain.' } });
      await waitFor(async () => (await api.json('GET', `/v1/notes/${n.body.noteId}`, { role: 'doctor' })).body.status === 'processed');
      const doctorToken = api.tokens.doctor;
      await api.close();
      await first.drop();

      const second = await createPgliteTestDatabase(dir);
      const again = await createTestApi(second);
      const res = await again.call('GET', `/v1/notes/${n.body.noteId}`, { token: doctorToken });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ text: 'Chest pain.', status: 'processed' });
      await again.close();
      await second.drop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  it('answers bad input with problem+json and never a 500', async () => {
    const t = await createPgliteTestDatabase();
    const api = await createTestApi(t, { workers: false });
    try {
      const cases: Array<[string, string, unknown, number, string]> = [
        ['POST', '/v1/patients', '{"mrn":', 400, '/problems/bad-request'],
        ['POST', '/v1/patients', { mrn: '' }, 400, '/problems/validation'],
        ['GET', '/v1/patients/not-a-uuid', undefined, 400, '/problems/validation'],
        ['GET', '/v1/patients/00000000-0000-4000-8000-000000000000', undefined, 404, '/problems/not-found'],
        ['GET', '/v1/patients?cursor=abc', undefined, 400, '/problems/bad-request'],
        ['POST', '/v1/patients', { mrn: 'x'.repeat(2_000_000) }, 413, '/problems/payload-too-large'],
        ['GET', '/v1/nothing-here', undefined, 404, '/problems/not-found'],
      ];
      for (const [method, url, body, status, type] of cases) {
        const res = await api.call(method, url, { role: 'doctor', body });
        expect(res.status, `${method} ${url}`).toBe(status);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await res.json()) as { type: string; requestId: string };
        expect(problem.type).toBe(type);
        expect(problem.requestId).toBe(res.headers.get('x-request-id'));
      }
      const dup = await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'D-1' } });
      expect(dup.status).toBe(201);
      expect((await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'D-1' } })).status).toBe(409);
      // The first record survived the rejected duplicate.
      expect((await api.json('GET', `/v1/patients/${dup.body.id}`, { role: 'doctor' })).status).toBe(200);
    } finally {
      await api.close();
      await t.drop();
    }
  });

  it('serves health, readiness, metrics, the OpenAPI document and offline docs', async () => {
    const t = await createPgliteTestDatabase();
    const api = await createTestApi(t, { workers: false });
    try {
      expect((await api.json('GET', '/health')).body).toEqual({ status: 'ok' });
      // Only `clinote serve` preloads models; this in-process app loads them on first use.
      expect((await api.json('GET', '/ready')).body).toMatchObject({ status: 'ready', database: true, queue: true, models: 'not started' });
      const metrics = await (await api.call('GET', '/metrics')).text();
      expect(metrics).toContain('clinote_http_requests_total');
      const doc = (await api.json('GET', '/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/v1/patients/{id}/notes');
      const docs = await (await api.call('GET', '/docs')).text();
      expect(docs).toContain('/docs/assets/swagger-ui-bundle.js');
      expect(docs).not.toMatch(/https?:\/\//);
      expect((await api.call('GET', '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    } finally {
      await api.close();
      await t.drop();
    }
  });

  it('reports a redis outage as not ready instead of crashing', async () => {
    const t = await createPgliteTestDatabase();
    const api = await createTestApi(t, { workers: false, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const ready = await api.json('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ database: true, queue: false });
    } finally {
      await api.close();
      await t.drop();
    }
  });
});


describe.each(databaseBackends)('patient search and the audit trail on $name', (backend) => {
  let t: TestDatabase;
  let api: TestApi;
  beforeAll(async () => {
    t = await backend.create();
    api = await createTestApi(t, { workers: false });
  });
  afterAll(async () => {
    await api.close();
    await t.drop();
  });

  it('finds patients by exact MRN and by words of the name', async () => {
    const patients = [
      { mrn: 'S-100', name: 'Nguyen Van An' },
      { mrn: 'S-200', name: 'nguyen thi Binh' },
      { mrn: 'S-300', name: 'Tran Van Nguyen' },
      { mrn: 'S-1000', name: 'Le_Van Cuong' },
      { mrn: 'S-10001', name: 'Lex Dung' },
    ];
    for (const body of patients) expect((await api.json('POST', '/v1/patients', { role: 'doctor', body })).status).toBe(201);
    const search = async (query: Record<string, string>) => {
      const res = await api.json('GET', `/v1/patients?${new URLSearchParams(query)}`, { role: 'clinician' });
      expect(res.status).toBe(200);
      return res.body as { items: Array<{ mrn: string }>; nextCursor: string | null };
    };
    const mrns = async (query: Record<string, string>) => (await search(query)).items.map((p) => p.mrn);

    expect(await mrns({ mrn: 'S-100' })).toEqual(['S-100']); // exact: not S-1000 or S-10001
    expect(await mrns({ mrn: 'S-9' })).toEqual([]);
    expect(await mrns({ name: 'NGUYEN' })).toEqual(['S-100', 'S-200', 'S-300']); // any word of the name, not a substring
    expect(await mrns({ name: 'guyen' })).toEqual([]);
    expect(await mrns({ name: 'nguyen T' })).toEqual(['S-200', 'S-300']); // every word starts a word of the name
    expect(await mrns({ name: 'Le_Van' })).toEqual(['S-1000']); // _ and % are not LIKE wildcards
    expect(await mrns({ name: '%' })).toEqual([]);
    expect(await mrns({ mrn: 'S-100', name: 'Tran' })).toEqual([]);
    // Pages through the matches.
    const first = await search({ name: 'nguyen v', limit: '1' });
    expect(first.items.map((p) => p.mrn)).toEqual(['S-100']);
    const second = await search({ name: 'nguyen v', limit: '1', cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ mrn: 'S-300' })], nextCursor: null });
  });

  it('filters the audit trail by actor, action and time', async () => {
    const keyId = async (role: 'doctor' | 'clinician') => (await api.json('GET', '/v1/me', { role })).body.keyId as string;
    const [doctor, clinician] = [await keyId('doctor'), await keyId('clinician')];
    const patient = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'AUDIT-1' } })).body.id as string;
    await api.json('GET', `/v1/patients/${patient}`, { role: 'doctor' });
    await new Promise((r) => setTimeout(r, 20)); // the clinician's read gets a later timestamp (milliseconds)
    await api.json('GET', `/v1/patients/${patient}`, { role: 'clinician' }); // (a coder would not see a patient without notes)

    type Event = { at: string; action: string; actorKeyId: string; actorRole: string };
    const events = async (query: Record<string, string>) => {
      const res = await api.json('GET', `/v1/audit?${new URLSearchParams({ patientId: patient, ...query })}`, { role: 'admin' });
      expect(res.status).toBe(200);
      return (res.body.items as Event[]).map((e) => `${e.action}:${e.actorRole}`);
    };
    expect(await events({})).toEqual(['patient.read:clinician', 'patient.read:doctor', 'patient.create:doctor']); // newest first
    expect(await events({ actorKeyId: doctor })).toEqual(['patient.read:doctor', 'patient.create:doctor']);
    expect(await events({ actorKeyId: clinician })).toEqual(['patient.read:clinician']);
    expect(await events({ action: 'patient.create' })).toEqual(['patient.create:doctor']);
    expect(await events({ action: 'patient.read', actorKeyId: clinician })).toEqual(['patient.read:clinician']);

    // `since` is inclusive and `until` exclusive, so one instant splits the trail in two.
    const clinicianReadAt = ((await api.json('GET', `/v1/audit?patientId=${patient}&actorKeyId=${clinician}`, { role: 'admin' })).body.items as Event[])[0]!.at;
    expect(await events({ since: clinicianReadAt })).toEqual(['patient.read:clinician']);
    expect(await events({ until: clinicianReadAt })).toEqual(['patient.read:doctor', 'patient.create:doctor']);
    expect(await events({ since: '2000-01-01T07:00:00+07:00', until: '2000-01-02T00:00:00Z' })).toEqual([]);

    for (const query of ['actorKeyId=ward-3', 'since=yesterday', 'until=2026-13-01T00:00:00Z']) {
      const res = await api.call('GET', `/v1/audit?${query}`, { role: 'admin' });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { type: string }).type).toBe('/problems/validation');
    }
  });
});

describe('key revocation, secure headers and CORS', () => {
  let t: TestDatabase;
  let api: TestApi;
  beforeAll(async () => {
    t = await createPgliteTestDatabase();
    api = await createTestApi(t, { workers: false, env: { CORS_ORIGINS: 'https://ehr.example.org, https://ward.example.org' } });
  });
  afterAll(async () => {
    await api.close();
    await t.drop();
  });

  it('refuses a key with 401 as soon as it is revoked', async () => {
    const created = await api.json('POST', '/v1/keys', { role: 'admin', body: { role: 'doctor', label: 'locum' } });
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    // Used once first, so the server has it cached as valid.
    expect((await api.call('GET', '/v1/patients', { token })).status).toBe(200);

    const revoked = await api.json('DELETE', `/v1/keys/${id}`, { role: 'admin' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const refused = await api.call('GET', '/v1/patients', { token });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { type: string }).type).toBe('/problems/unauthenticated');
    const keys = (await api.json('GET', '/v1/keys', { role: 'admin' })).body.items as Array<{ id: string; revokedAt: string | null }>;
    expect(keys.find((k) => k.id === id)?.revokedAt).toBe(revoked.body.revokedAt);
    expect((await api.json('DELETE', '/v1/keys/00000000-0000-4000-8000-000000000000', { role: 'admin' })).status).toBe(404);
  });

  it('sends secure headers on every kind of response', async () => {
    const responses = {
      public: await api.call('GET', '/health'),
      success: await api.call('GET', '/v1/patients', { role: 'doctor' }),
      unauthenticated: await api.call('GET', '/v1/patients'),
      'unknown route': await api.call('GET', '/v1/nothing-here', { role: 'doctor' }),
    };
    for (const [kind, res] of Object.entries(responses)) {
      expect(res.headers.get('x-content-type-options'), kind).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), kind).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), kind).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security'), kind).toMatch(/max-age=\d+/);
      expect(res.headers.get('cross-origin-opener-policy'), kind).toBe('same-origin');
      expect(res.headers.get('x-request-id'), kind).toBeTruthy();
    }
  });

  it('lets only the configured origins read API responses', async () => {
    const allowed = 'https://ward.example.org';
    const fromAllowed = await api.call('GET', '/v1/patients', { role: 'doctor', headers: { Origin: allowed } });
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(fromAllowed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    // A browser app must be able to read why it was refused, too.
    const refused = await api.call('GET', '/v1/patients', { headers: { Origin: allowed } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(allowed);

    const preflight = await api.call('OPTIONS', '/v1/patients', {
      headers: { Origin: allowed, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');

    for (const origin of ['https://evil.example.com', 'https://ward.example.org.evil.example.com', 'null']) {
      const get = await api.call('GET', '/v1/patients', { role: 'doctor', headers: { Origin: origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin'), origin).toBeNull();
      const pre = await api.call('OPTIONS', '/v1/patients', { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('allows no cross-origin reads when CORS_ORIGINS is empty (the default)', async () => {
    const sameOrigin = await createTestApi(t, { workers: false });
    try {
      const res = await sameOrigin.call('GET', '/v1/patients', { role: 'doctor', headers: { Origin: 'https://ehr.example.org' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await sameOrigin.close();
    }
  });
});
