import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapAdminKey, callApi, type ServerProcess } from '../../eval/bench/service-process.ts';
import { embeddedEnv, killHard, runClinote, startServe } from '../support/cli-process.ts';
import { waitFor } from '../support/runtime.ts';

describe('clinote serve on the embedded default (PGlite, in-process queue)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-serve-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(killHard));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a key, a patient and a note across a restart on the same data folder', async () => {
    const env = embeddedEnv(dataDir);
    const text = 'Assessment: community-acquired pneumonia. Plan: amoxicillin 1 g PO TID.';

    const first = await startServe(env);
    servers.push(first);
    const base = `http://127.0.0.1:${first.port}`;
    const admin = bootstrapAdminKey(first.output());
    const doctor = await callApi<{ id: string; token: string }>(base, 'POST', '/v1/keys', admin, { role: 'doctor', label: 'ward 3' });
    const patient = await callApi<{ id: string }>(base, 'POST', '/v1/patients', doctor.token, { mrn: 'RESTART-1', name: 'Pham Van C' });
    const note = await callApi<{ noteId: string }>(base, 'POST', `/v1/patients/${patient.id}/notes`, doctor.token, { text });

    // PGlite is single-process: the CLI refuses the folder while the server holds it, and says why.
    const busy = await runClinote(['keys', 'list'], env);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`is in use by process ${first.child.pid} (clinote serve)`);

    // Stopped right after the note was accepted: it may or may not have been processed yet.
    await first.stop();
    expect(first.child.exitCode).toBe(0);

    const second = await startServe(env);
    servers.push(second);
    const again = `http://127.0.0.1:${second.port}`;
    // An admin key exists, so no second one is printed.
    expect(() => bootstrapAdminKey(second.output())).toThrow();
    expect(await callApi(again, 'GET', '/v1/me', doctor.token)).toEqual({ keyId: doctor.id, label: 'ward 3', role: 'doctor' });
    const keys = await callApi<{ items: Array<{ id: string; revokedAt: string | null }> }>(again, 'GET', '/v1/keys', admin);
    expect(keys.items).toContainEqual(expect.objectContaining({ id: doctor.id, revokedAt: null }));
    expect(await callApi(again, 'GET', `/v1/patients/${patient.id}`, doctor.token)).toMatchObject({ mrn: 'RESTART-1', name: 'Pham Van C' });
    // Processed before the stop, or by the start-up reconcile after it.
    const stored = await waitFor(async () => {
      const n = await callApi<{ status: string; text: string; processedVersion: string | null; pipelineVersion: string }>(again, 'GET', `/v1/notes/${note.noteId}`, doctor.token);
      return n.status === 'processed' ? n : undefined;
    }, 60_000, 'note processed');
    expect(stored).toMatchObject({ text, processedVersion: stored.pipelineVersion });

    await second.stop();
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});
