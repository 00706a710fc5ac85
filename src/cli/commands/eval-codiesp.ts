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
  registerCrossValidation(program);
}

function registerCodiEsp(program: Command): void {
  commandGroup(program, 'eval')
    .command('codiesp')
    .description(
      'ICD-10-CM suggestions on a CodiEsp split (DIR/SPLIT/SPLITD.tsv + text_files_en): MAP (official CodiEsp-D metric), category MAP, P/R/F1 at the operating threshold, recall@10/@20, ms per document, under the CodiEsp convention (every mention coded, as the gold is) and the clinical rules; writes a per-code error report',
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
  const [{ loadRanker, Ranker }, { readRankerModel }] = await Promise.all([
    import('../../coding/icd10/ranker/model.ts'),
    import('../../coding/icd10/ranker/ranker-files.ts'),
  ]);
  const ranker = opts.ranker ? new Ranker(readRankerModel(path.resolve(opts.ranker))) : loadRanker();
  const { readdirSync } = await import('node:fs');
  const progress = new ProgressBar(`codiesp ${opts.split}`, 2 * readdirSync(path.join(dir, opts.split, 'text_files_en')).length);
  const results = evaluateCodiEsp({ dir, split: opts.split, ranker, onDocument: () => progress.tick() });
  progress.finish();

  await mkdir(opts.reportDir, { recursive: true });
  const reportFile = path.join(opts.reportDir, `codiesp-${opts.split}-errors.md`);
  await writeFile(reportFile, errorReport(results.codiesp, opts.split, ranker.version));

  const { errors: _errors, ...metrics } = results.codiesp;
  const { errors: _clinicalErrors, ...clinical } = results.clinical;
  const row = (metric: string, key: keyof typeof metrics) => ({ metric, codiesp: metrics[key], clinical: clinical[key] });
  printTable([
    row('documents', 'n_docs'),
    row('MAP', 'map'),
    row('MAP (category)', 'map_category'),
    row(`precision @ threshold ${ranker.threshold}`, 'precision'),
    row('recall @ threshold', 'recall'),
    row('F1 @ threshold', 'f1'),
    row('recall@10', 'recall_at_10'),
    row('recall@20', 'recall_at_20'),
    row('ms per document (excl. structuring)', 'ms_per_doc'),
    row('calibration error (ECE, every ranked code)', 'ece'),
  ]);
  process.stdout.write(
    [
      `ranker ${ranker.version}; per-code errors: ${path.relative(process.cwd(), reportFile)}`,
      'codiesp: every mentioned condition coded, the convention of the CodiEsp gold (it codes negated, past and relatives\' conditions);',
      'clinical: the product\'s coding rules (negated/hypothetical/family mentions give no code, past ones history codes, uncertain ones are not proposed).',
      '',
    ].join('\n'),
  );
  printResult({
    suite: 'codiesp',
    ...metrics,
    map_clinical: clinical.map,
    f1_clinical: clinical.f1,
  });
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
        const { loadCodeSet } = await import('../../coding/icd10/versions.ts');
        const result = evaluateLearning(dir, loadCodeSet(), (step) => process.stderr.write(`${step}…\n`));
        printTable(Object.entries(result).map(([metric, value]) => ({ metric, value })));
        printResult({ suite: 'codiesp-learning', ...result });
      } catch (error) {
        reportCommandError(error);
      }
    });
}

function registerCrossValidation(program: Command): void {
  commandGroup(program, 'eval')
    .command('codiesp-cv')
    .description(
      'Cross-validated MAP on CodiEsp train: train the ranker (lexicons, priors, weights) on all folds but one, score MAP on the held-out fold under both coding conventions; judges ranker changes without dev',
    )
    .option('--dir <dir>', 'CodiEsp folder (default: the shared eval/codiesp)')
    .option('--folds <n>', 'number of folds', '5')
    .action(async (opts: { dir?: string; folds: string }) => {
      try {
        const folds = Number(opts.folds);
        if (!Number.isInteger(folds) || folds < 2) throw new CommandInputError(`--folds must be an integer of at least 2, not ${opts.folds}`);
        const dir = opts.dir ?? path.join(sharedDataDir(), 'eval', 'codiesp');
        const { crossValidateCodiEsp } = await import('../../../eval/codiesp-cv.ts');
        const { loadCodeSet } = await import('../../coding/icd10/versions.ts');
        const result = crossValidateCodiEsp(dir, loadCodeSet(), folds, (f) => process.stderr.write(`fold ${f.fold}/${folds}: MAP ${f.map}\n`));
        printTable(result.folds.map((f) => ({ ...f })));
        const { folds: _folds, ...means } = result;
        printResult({ suite: 'codiesp-cv', folds, ...means });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
