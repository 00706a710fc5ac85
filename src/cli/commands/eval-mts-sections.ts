import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('mts-sections')
    .description('Section type from section text alone on MTS-Dialog (content classifier for unheaded paragraphs)')
    .option('--file <csv>', 'MTS-Dialog CSV (ID, section_header, section_text, dialogue); default: the shared validation set')
    .action(async (options: { file?: string }) => {
      const { evaluateMtsSections } = await import('../../../eval/mts-sections.ts');
      const file = options.file ?? path.join(sharedDataDir(), 'eval', 'mts-dialog', 'MTS-Dialog-ValidationSet.csv');
      const progress = new ProgressBar('mts-sections', 0);
      const r = evaluateMtsSections(file, (_done, total) => {
        progress.setTotal(total);
        progress.tick();
      });
      progress.finish();
      printTable(
        Object.entries(r.byLabel)
          .sort((a, b) => b[1].n - a[1].n)
          .map(([label, s]) => ({ label, n: s.n, correct: s.correct, predicted: s.predicted, recall: s.n > 0 ? s.correct / s.n : null })),
      );
      printResult({ suite: 'mts-sections', n: r.n, accuracy: Number(r.accuracy.toFixed(4)) });
    });
}
