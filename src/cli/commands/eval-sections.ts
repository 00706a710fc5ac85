import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('sections')
    .description('Section grouping on ACI-BENCH: share of gold section-group text (by characters) assigned to the right group')
    .option('--aci <dir>', 'ACI-BENCH folder with NAME.csv and sections/NAME_*.json (default: shared eval/aci-bench)')
    .option('--split <name>', 'split name', 'valid')
    .action(async (options: { aci?: string; split: string }) => {
      const { evaluateSections } = await import('../../../eval/sections.ts');
      const dir = options.aci ?? path.join(sharedDataDir(), 'eval', 'aci-bench');
      const progress = new ProgressBar(`sections ${options.split}`, 0);
      const r = evaluateSections(dir, options.split, (_done, total) => {
        progress.setTotal(total);
        progress.tick();
      });
      progress.finish();
      printTable(
        Object.entries(r.byGroup).map(([group, g]) => ({ group, gold_chars: g.goldChars, correct_chars: g.correctChars, accuracy: g.goldChars > 0 ? g.correctChars / g.goldChars : null })),
      );
      printTable([{ notes: r.notes, gold_chars: r.goldChars, unaligned_chars: r.unalignedChars, accuracy: r.accuracy }]);
      printResult({ suite: 'sections', split: options.split, n_notes: r.notes, accuracy: Number(r.accuracy.toFixed(4)) });
    });
}
