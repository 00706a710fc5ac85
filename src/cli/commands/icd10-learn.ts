import path from 'node:path';
import type { Command } from 'commander';
import { commandGroup } from '../program.ts';
import { CommandInputError, withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'icd10')
    .command('learn')
    .description(
      "Refit the suggestion ranker with the coders' stored accept/reject/replace/add decisions added as training signal; " +
        'writes a new ranker file (activate it with CLINOTE_ICD10_RANKER=FILE) and prints its version',
    )
    .option('--out <file>', 'where to write the ranker (default CLINOTE_DATA_DIR/icd10/ranker-<version>.json.gz)')
    .option('--min-decisions <n>', 'refuse to learn from fewer decisions than this', '1')
    .action(async (opts: { out?: string; minDecisions: string }) => {
      const [{ learnFromStoredDecisions }, { TooFewDecisionsError }, { writeRankerModel }] = await Promise.all([
        import('../../coding/learning-service.ts'),
        import('../../coding/errors.ts'),
        import('../../coding/icd10/ranker/ranker-files.ts'),
      ]);
      await withRuntime({ purpose: 'clinote icd10 learn' }, async (rt) => {
        let result: Awaited<ReturnType<typeof learnFromStoredDecisions>>;
        try {
          result = await learnFromStoredDecisions(rt.db, Number(opts.minDecisions));
        } catch (error) {
          if (error instanceof TooFewDecisionsError) throw new CommandInputError(error.message);
          throw error;
        }
        const file = path.resolve(opts.out ?? path.join(rt.config.dataDir, 'icd10', `ranker-${result.model.version}.json.gz`));
        writeRankerModel(file, result.model);
        process.stderr.write(`Learned from ${result.decisions} decisions (${result.weightRows} weight rows, ${result.phraseUpdates} phrase updates).\n`);
        process.stderr.write(`Activate with: CLINOTE_ICD10_RANKER=${file}\n`);
        process.stdout.write(`${JSON.stringify({ ranker: result.model.version, file, decisions: result.decisions })}\n`);
      });
    });
}
