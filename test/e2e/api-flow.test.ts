import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createPgliteTestDatabase,
  databaseBackends,
  redisAvailable,
  TEST_REDIS_URL,
} from '../support/backends.ts';
import { createTestApi } from '../support/api.ts';
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

