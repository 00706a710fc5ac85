import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../src/config/paths.ts';
import { openDatabase } from '../../src/db/open.ts';
import { listAuditEvents } from '../../src/access/audit-repository.ts';
import { failNoteProcessing, findNote, insertNote } from '../../src/notes/repository.ts';
import { listPatients } from '../../src/patients/repository.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { embeddedEnv, runClinote } from '../support/cli-process.ts';

const bundles = path.join(sharedDataDir(), 'eval', 'synthea', 'smart-r4-bundles');
const bundle = path.join(bundles, readdirSync(bundles).filter((f) => f.endsWith('.json')).sort()[0]!);
const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-cli-history-'));
const env = { ...embeddedEnv(dataDir), CLINOTE_PRELOAD_MODELS: 'false' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('clinote import fhir, summary and search from the command line', () => {
  it('imports a Synthea bundle, reads the chart back, and audits the write and every read', async () => {
    const imported = await runClinote(['import', 'fhir', bundle, '--no-process'], env);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout.trimEnd().split('\n').at(-1)!);
    expect(report).toMatchObject({ suite: 'import-fhir', files: 1, patients: 1, patients_created: 1, issues: 0 });
    expect(report.documents).toBeGreaterThan(0);

    const db = await openDatabase({ DATABASE_URL: undefined, dataDir }, { migrate: false });
    const [patient] = (await listPatients(db, {}, { limit: 10 })).items;
    await db.close();

    const summary = await runClinote(['summary', patient!.mrn], env);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/problem|medication|allerg/i);
    const again = await runClinote(['import', 'fhir', bundle, '--no-process'], env);
    expect(JSON.parse(again.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ created: 0, unchanged: report.documents });
    const missing = await runClinote(['summary', 'NO-SUCH-MRN'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^clinote: .*NO-SUCH-MRN/m);
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const reopened = await openDatabase({ DATABASE_URL: undefined, dataDir }, { migrate: false });
    try {
      const events = (await listAuditEvents(reopened, { patientId: patient!.id }, { limit: 50 })).items;
      // One import event (the unchanged re-import wrote nothing) and one summary read, both by the OS user.
      expect(events.map((e) => e.action).sort()).toEqual(['history.import', 'history.summary']);
      for (const e of events) expect(e).toMatchObject({ actorRole: 'operator', actorLabel: expect.stringMatching(/^cli:/) });
    } finally {
      await reopened.close();
    }
  }, 120_000);
});

describe('clinote notes retry', () => {
  it('sends failed notes back through the pipeline, processes them here, and audits it', async () => {
    const db = await openDatabase({ DATABASE_URL: undefined, dataDir }, { migrate: true });
    const patient = await registerPatient(db, { mrn: 'RETRY-1' });
    const note = await insertNote(db, {
      patientId: patient.id,
      kind: 'progress',
      author: 'dr',
      authoredAt: new Date(),
      source: 'typed',
      text: 'Assessment: essential hypertension. Plan: lisinopril 10 mg daily.',
      pipelineVersion: 'old',
    });
    await failNoteProcessing(db, note.id, 'simulated outage');
    await db.close();

    const notFailed = await runClinote(['notes', 'retry', '00000000-0000-4000-8000-000000000000'], env);
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toMatch(/clinote: None of the given notes has failed processing/);
    expect((await runClinote(['notes', 'retry', 'not-an-id'], env)).stderr).toMatch(/not a note id: not-an-id/);

    const retried = await runClinote(['notes', 'retry'], env);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ suite: 'notes-retry', requeued: 1, processed: 1, failed_again: 0 });

    const reopened = await openDatabase({ DATABASE_URL: undefined, dataDir }, { migrate: false });
    try {
      const after = await findNote(reopened, note.id);
      expect(after).toMatchObject({ status: 'processed', error: null });
      expect(after!.results).toHaveProperty('structure');
      const events = (await listAuditEvents(reopened, { patientId: patient.id }, { limit: 10 })).items;
      expect(events.map((e) => [e.action, e.detail])).toEqual([['note.retry', { notes: 1 }]]);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
