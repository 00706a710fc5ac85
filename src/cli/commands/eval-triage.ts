import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelLocations, projectRoot, sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('triage')
    .description(
      'Image triage model on an ImageFolder split (DIR/<split>/<label>/*.png): AUROC, sensitivity/specificity at the manifest threshold, ms per image; writes a ROC curve PNG. The model is a triage aid, not a diagnosis.',
    )
    .option('--dir <dir>', 'ImageFolder root (default: the shared PneumoniaMNIST folder)')
    .option('--split <split>', 'split folder under --dir', 'val')
    .option('--model <id>', 'model id (default: the first model in models/)')
    .option('--report-dir <dir>', 'where the ROC PNG is written', path.join(projectRoot, 'eval', 'reports'))
    .action(async (opts: EvalTriageOptions) => {
      await evalTriage(opts).catch(async (error: unknown) => {
        const { ModelManifestError, NoSuitableModelError } = await import('../../imaging/errors.ts');
        const { ImageFolderError } = await import('../../../eval/triage/evaluate.ts');
        const operatorError = [ModelManifestError, NoSuitableModelError, ImageFolderError].some((E) => error instanceof E);
        reportCommandError(operatorError ? new CommandInputError((error as Error).message) : error);
      });
    });
}

interface EvalTriageOptions {
  dir?: string;
  split: string;
  model?: string;
  reportDir: string;
}

async function evalTriage(opts: EvalTriageOptions): Promise<void> {
  const dir = opts.dir ?? path.join(sharedDataDir(), 'imaging', 'pneumoniamnist');
  if (!existsSync(path.join(dir, opts.split))) throw new CommandInputError(`No split folder ${path.join(dir, opts.split)}`);
  const { loadModelRegistry } = await import('../../imaging/registry-files.ts');
  const { evaluateTriage } = await import('../../../eval/triage/evaluate.ts');
  const { renderRocChartPng } = await import('../../../eval/triage/roc-chart.ts');

  const registry = await loadModelRegistry(modelLocations().modelsDir);
  try {
    const model = opts.model ? registry.get(opts.model) : registry.models[0];
    if (!model) throw new CommandInputError('No image models found under models/*/manifest.json');
    const progress = new ProgressBar(`triage ${opts.split}`, 0);
    const result = await evaluateTriage(dir, opts.split, model, (_done, total) => {
      progress.setTotal(total);
      progress.tick();
    });
    progress.finish();

    const op = result.operatingPoint;
    await mkdir(opts.reportDir, { recursive: true });
    const rocFile = path.join(opts.reportDir, `triage-roc-${result.modelId}-${opts.split}.png`);
    await writeFile(
      rocFile,
      await renderRocChartPng({
        title: `${result.modelId} ${result.modelVersion} on ${opts.split} (n=${result.n})`,
        curve: result.roc,
        auroc: result.auroc,
        operatingPoint: op,
      }),
    );
    printTable([
      { measure: 'images', value: result.n, note: `${result.positives} positive` },
      { measure: 'AUROC', value: result.auroc, note: '' },
      { measure: 'threshold', value: op.threshold, note: 'from the manifest (chosen on val)' },
      { measure: 'sensitivity', value: op.sensitivity, note: `${op.truePositives}/${op.truePositives + op.falseNegatives}` },
      { measure: 'specificity', value: op.specificity, note: `${op.trueNegatives}/${op.trueNegatives + op.falsePositives}` },
      { measure: 'unreadable', value: result.unreadable, note: 'failed the quality gate (scored anyway here)' },
      { measure: 'ms per image', value: result.msPerImage, note: 'preprocess + inference, one thread' },
      { measure: 'decode ms per image', value: result.decodeMsPerImage, note: '' },
      { measure: 'heatmap ms', value: result.heatmapMs, note: 'occlusion map + PNG overlay' },
    ]);
    process.stdout.write(`ROC curve: ${path.relative(process.cwd(), rocFile) || rocFile}\n`);
    printResult({
      suite: 'triage',
      n: result.n,
      auroc: round(result.auroc),
      threshold: op.threshold,
      sensitivity: round(op.sensitivity),
      specificity: round(op.specificity),
      ms_per_image: round(result.msPerImage, 3),
      heatmap_ms: round(result.heatmapMs, 1),
      model: `${result.modelId}@${result.modelVersion}`,
      split: opts.split,
    });
  } finally {
    await registry.close();
  }
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}
