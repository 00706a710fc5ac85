import type { Command } from 'commander';
import path from 'node:path';
import { printResult } from '../output.ts';
import { commandGroup } from '../program.ts';
import { reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'icd10')
    .command('train')
    .description(
      'Train the ICD-10-CM suggestion ranker on the CodiEsp train split only (lexicons from aligned English evidence, code priors, logistic weights and boosted trees on out-of-fold candidates) and write models/icd10cm/ranker.json.gz',
    )
    .option('--dir <dir>', 'CodiEsp folder (default: the shared eval/codiesp)')
    .option('--out <file>', 'where to write the ranker (default: the bundled models/icd10cm/ranker.json.gz)')
    .action(async (opts: { dir?: string; out?: string }) => {
      try {
        const { modelLocations, sharedDataDir } = await import('../../config/paths.ts');
        const { loadCodeSet } = await import('../../coding/icd10/versions.ts');
        const { bundledRankerFile, writeRankerModel } = await import('../../coding/icd10/ranker/ranker-files.ts');
        const { trainOnCodiEsp } = await import('../../coding/icd10/training/train.ts');
        const { readCodiEspSplit } = await import('../../coding/icd10/training/codiesp-files.ts');
        const dir = opts.dir ?? path.join(sharedDataDir(), 'eval', 'codiesp');
        const run = trainOnCodiEsp(readCodiEspSplit(dir, 'train'), loadCodeSet());
        const out = path.resolve(opts.out ?? bundledRankerFile(modelLocations().modelsDir));
        writeRankerModel(out, run.model);
        printResult({
          ranker_version: run.model.version,
          documents: run.documents,
          threshold: run.model.threshold,
          mention_phrases: run.model.mentionLexicon.length,
          cooccurrence_phrases: run.model.cooccurrenceLexicon.length,
          seconds: Number(run.seconds.toFixed(1)),
          file: out,
        });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
