import type { Command } from 'commander';
import { printResult, ProgressBar } from '../output.ts';
import { CommandInputError, withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('reindex')
    .description(
      'Re-embed stored history passages with the configured embedding model (progress bar; an interrupted run resumes where it stopped). The service does this by itself for passages of another model; this command re-embeds everything, or with --stale only those. Last line: one JSON object.',
    )
    .option('--patient <id>', 'only this patient (id or MRN)')
    .option('--stale', 'only passages embedded by another model')
    .action(async (opts: { patient?: string; stale?: boolean }) => {
      await withRuntime({ purpose: 'clinote reindex', defaultLogLevel: 'warn' }, async (runtime) => {
        let patientId: string | undefined;
        if (opts.patient) {
          const { findPatientByRef } = await import('../../history/operator-access-service.ts');
          const patient = await findPatientByRef(runtime.db, opts.patient);
          if (!patient) throw new CommandInputError(`No patient with id or MRN ${opts.patient}`);
          patientId = patient.id;
        }
        const { getEmbedder } = await import('../../ml/embedder.ts');
        const { reindexHistory } = await import('../../history/reindex-service.ts');
        const embedder = await getEmbedder();
        const started = performance.now();
        let bar: ProgressBar | undefined;
        let shown = 0;
        const result = await reindexHistory(runtime.db, embedder, {
          patientId,
          mode: opts.stale ? 'stale' : 'all',
          onProgress: (done, total) => {
            bar ??= new ProgressBar('passages', total);
            bar.tick(done - shown);
            shown = done;
          },
        });
        bar?.finish();
        const seconds = (performance.now() - started) / 1000;
        printResult({
          suite: 'reindex',
          model: result.modelId,
          embedded: result.embedded,
          resumed_after: result.resumedAfter,
          passages_per_s: Number((result.embedded / Math.max(seconds, 1e-3)).toFixed(1)),
        });
      });
    });
}
