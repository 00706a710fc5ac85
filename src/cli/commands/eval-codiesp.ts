import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot, sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

interface EvalCodiEspOptions {
  dir?: string;
  split: string;
  ranker?: string;
  reportDir: string;
}

export function register(program: Command): void {
  registerCodiEsp(program);
  registerLearning(program);
}

function registerCodiEsp(program: Command): void {
  commandGroup(program, 'eval')
    .command('codiesp')
    .description(
      'ICD-10-CM suggestions on a CodiEsp split (DIR/SPLIT/SPLITD.tsv + text_files_en): MAP (official CodiEsp-D metric), category MAP, P/R/F1 at the operating threshold, recall@10/@20, ms per document; writes a per-code error report',
    )
    .option('--dir <dir>', 'CodiEsp folder (default: the shared eval/codiesp)')
    .option('--split <name>', 'split folder under --dir', 'dev')
    .option('--ranker <file>', 'ranker artifact (default: CLINOTE_ICD10_RANKER or the bundled one)')
    .option('--report-dir <dir>', 'where the error report is written', path.join(projectRoot, 'eval', 'reports'))
    .action(async (opts: EvalCodiEspOptions) => {
      try {
        await evalCodiEsp(opts);
      } catch (error) {
        reportCommandError(error);
      }
    });
}

async function evalCodiEsp(opts: EvalCodiEspOptions): Promise<void> {
  const dir = opts.dir ?? path.join(sharedDataDir(), 'eval', 'codiesp');
  if (!existsSync(path.join(dir, opts.split, 'text_files_en'))) {
    throw new CommandInputError(`No CodiEsp split at ${path.join(dir, opts.split)} (expected text_files_en/ and ${opts.split}D.tsv)`);
  }
  const { evaluateCodiEsp, errorReport } = await import('../../../eval/codiesp.ts');
  const { loadRanker } = await import('../../icd10/ranker/model.ts');
  const ranker = loadRanker(opts.ranker ? path.resolve(opts.ranker) : undefined);
  const progress = new ProgressBar(`codiesp ${opts.split}`, 0);
  const { readdirSync } = await import('node:fs');
  progress.setTotal(readdirSync(path.join(dir, opts.split, 'text_files_en')).length);
  const result = evaluateCodiEsp({ dir, split: opts.split, ranker, onDocument: () => progress.tick() });
  progress.finish();

  await mkdir(opts.reportDir, { recursive: true });
  const reportFile = path.join(opts.reportDir, `codiesp-${opts.split}-errors.md`);
  await writeFile(reportFile, errorReport(result, opts.split, ranker.version));

  const { errors: _errors, ...metrics } = result;
  printTable([
    { metric: 'documents', value: metrics.n_docs },
    { metric: 'MAP', value: metrics.map },
    { metric: 'MAP (category)', value: metrics.map_category },
    { metric: `precision @ threshold ${ranker.threshold}`, value: metrics.precision },
    { metric: 'recall @ threshold', value: metrics.recall },
    { metric: 'F1 @ threshold', value: metrics.f1 },
    { metric: 'recall@10', value: metrics.recall_at_10 },
    { metric: 'recall@20', value: metrics.recall_at_20 },
    { metric: 'ms per document', value: metrics.ms_per_doc },
  ]);
  process.stdout.write(`ranker ${ranker.version}; per-code errors: ${path.relative(process.cwd(), reportFile)}\n`);
  printResult({ suite: 'codiesp', ...metrics });
}

function registerLearning(program: Command): void {
  commandGroup(program, 'eval')
    .command('codiesp-learning')
    .description(
      'Learning from coder decisions: train on half of CodiEsp train, simulate a coder reviewing the other half, refit with learnFromDecisions, and compare dev MAP/F1 before and after (nothing held back is used)',
    )
    .option('--dir <dir>', 'CodiEsp folder (default: the shared eval/codiesp)')
    .action(async (opts: { dir?: string }) => {
      try {
        const dir = opts.dir ?? path.join(sharedDataDir(), 'eval', 'codiesp');
        const { evaluateLearning } = await import('../../../eval/codiesp-learning.ts');
        const { loadCodeSet } = await import('../../icd10/versions.ts');
        const result = evaluateLearning(dir, loadCodeSet(), (step) => process.stderr.write(`${step}…\n`));
        printTable(Object.entries(result).map(([metric, value]) => ({ metric, value })));
        printResult({ suite: 'codiesp-learning', ...result });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
