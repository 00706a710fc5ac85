import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'import')
    .command('fhir')
    .description(
      'Load FHIR R4 bundles (a file or a folder of .json files): patients, one readable record note per encounter with structured facts from the coded data (conditions, medications, allergies, observations, procedures, immunizations), attached documents as notes; then index the new notes for history search. Idempotent: re-importing unchanged data changes nothing. Bad resources are reported, not fatal. Last line: one JSON object.',
    )
    .argument('<path>', 'bundle file or folder')
    .option('--no-process', 'only load; leave the new notes for the service to structure and index')
    .action(async (target: string, opts: { process: boolean }) => {
      await withRuntime({ purpose: 'clinote import fhir', defaultLogLevel: 'warn' }, async (runtime) => {
        if (!existsSync(target)) throw new CommandInputError(`No such file or folder: ${target}`);
        const { importFhir } = await import('../../history/fhir-import-service.ts');
        const { listBundleFiles, readBundleFiles } = await import('../../history/fhir-bundle-files.ts');
        const { NOTE_PIPELINE_VERSION } = await import('../../notes/jobs.ts');
        const files = listBundleFiles(target);
        const loading = new ProgressBar('bundles', files.length);
        const report = await importFhir(runtime.db, readBundleFiles(files), { pipelineVersion: NOTE_PIPELINE_VERSION, onFile: () => loading.tick() });
        loading.finish();
        const { auditOperatorAccess } = await import('../../history/operator-access-service.ts');
        await auditOperatorAccess(runtime.db, 'history.import', report.writtenPatientIds, { source: 'fhir' });

        const { processNotesHere } = await import('../../boot/process-notes.ts');
        const failed = opts.process ? await processNotesHere(runtime, report.createdNoteIds, 'notes indexed') : 0;

        for (const issue of report.issues) process.stderr.write(`issue: ${issue.file}: ${issue.resource}: ${issue.message}\n`);
        printTable([
          { measure: 'files', value: report.files },
          { measure: 'patients (new)', value: `${report.patients} (${report.patientsCreated})` },
          { measure: 'record notes', value: report.documents },
          { measure: 'created / replaced / unchanged', value: `${report.documentsCreated} / ${report.documentsReplaced} / ${report.documentsUnchanged}` },
          { measure: 'structured facts stored', value: report.facts },
          { measure: 'issues (skipped resources)', value: report.issues.length },
          { measure: 'notes failed in processing', value: failed },
          { measure: 'ignored resource types', value: Object.entries(report.ignored).map(([t, n]) => `${t} ${n}`).join(', ') },
        ]);
        printResult({
          suite: 'import-fhir',
          files: report.files,
          patients: report.patients,
          patients_created: report.patientsCreated,
          documents: report.documents,
          created: report.documentsCreated,
          replaced: report.documentsReplaced,
          unchanged: report.documentsUnchanged,
          facts: report.facts,
          issues: report.issues.length,
          processing_failed: failed,
        });
        if (failed > 0) process.exitCode = 1;
      });
    });
}
