import path from 'node:path';
import type { Command } from 'commander';
import { listDecisionsForLearning } from '../../coding/repository.ts';
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
      const [{ learnFromDecisions }, { writeRankerModel }, { decisionsForLearning }] = await Promise.all([
        import('../../coding/icd10/training/learn.ts'),
        import('../../coding/icd10/ranker/ranker-files.ts'),
        import('../../coding/icd10/training/decisions.ts'),
      ]);
      await withRuntime({ purpose: 'clinote icd10 learn' }, async (rt) => {
        const decisions = decisionsForLearning(await listDecisionsForLearning(rt.db));
        if (decisions.length < Number(opts.minDecisions)) {
          throw new CommandInputError(`Only ${decisions.length} coder decisions are stored; nothing to learn from yet.`);
        }
        const result = learnFromDecisions(decisions);
        const file = path.resolve(opts.out ?? path.join(rt.config.dataDir, 'icd10', `ranker-${result.model.version}.json.gz`));
        writeRankerModel(file, result.model);
        process.stderr.write(`Learned from ${decisions.length} decisions (${result.weightRows} weight rows, ${result.phraseUpdates} phrase updates).\n`);
        process.stderr.write(`Activate with: CLINOTE_ICD10_RANKER=${file}\n`);
        process.stdout.write(`${JSON.stringify({ ranker: result.model.version, file, decisions: decisions.length })}\n`);
      });
    });
}
