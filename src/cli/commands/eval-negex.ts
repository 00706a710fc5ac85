import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

const round = (x: number) => Number(x.toFixed(4));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('negex')
    .description('ConText context on the NegEx test kit: precision/recall/F1 for Negated, temporality and experiencer accuracy')
    .option('--file <path>', 'test-kit file (number, condition, sentence, negation, temporality, experiencer)')
    .action(async (options: { file?: string }) => {
      const { evaluateNegex, readNegexKit } = await import('../../../eval/negex.ts');
      const file = options.file ?? path.join(sharedDataDir(), 'eval', 'negex', 'rsAnnotations-part1.txt');
      const rows = readNegexKit(file);
      const progress = new ProgressBar('negex', rows.length);
      const r = evaluateNegex(rows, () => progress.tick());
      progress.finish();
      printTable([
        { measure: 'negated', precision: r.negated.precision, recall: r.negated.recall, f1: r.negated.f1, tp: r.negated.tp, fp: r.negated.fp, fn: r.negated.fn },
      ]);
      printTable(Object.entries(r.temporality.byGold).map(([gold, t]) => ({ temporality: gold, n: t.n, correct: t.correct, accuracy: t.correct / t.n })));
      printTable([{ rows: r.n, conditions_found: r.located, temporality_accuracy: r.temporality.accuracy, experiencer_accuracy: r.experiencer.accuracy }]);
      printResult({
        suite: 'negex',
        n: r.n,
        negated_precision: round(r.negated.precision),
        negated_recall: round(r.negated.recall),
        negated_f1: round(r.negated.f1),
        temporality_accuracy: round(r.temporality.accuracy),
        experiencer_accuracy: round(r.experiencer.accuracy),
      });
    });
}
