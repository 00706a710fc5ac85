import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

const round = (x: number) => Number(x.toFixed(4));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('bc5cdr')
    .description('Chemical and disease mentions on BC5CDR (PubTator): exact-span F1 per type and overlap F1')
    .option('--file <path>', 'PubTator file (default: the BC5CDR development set)')
    .option('--system <name>', 'mention finder to score: structurer (the rule-and-lexicon baseline)', 'structurer')
    .action(async (options: { file?: string; system: string }) => {
      await run(options).catch(reportCommandError);
    });
}

async function run(options: { file?: string; system: string }): Promise<void> {
  const { readPubtator, nerFinder, scoreNer, PubtatorFormatError } = await import('../../../eval/ner.ts');
  const file = options.file ?? path.join(sharedDataDir(), 'corpus', 'bc5cdr', 'CDR_DevelopmentSet.PubTator.txt');
  const docs = (() => {
    try {
      return readPubtator(file);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (error instanceof PubtatorFormatError || missing) throw new CommandInputError(missing ? `${file}: no such file` : (error as Error).message);
      throw error;
    }
  })();
  const find = await nerFinder(options.system).catch((error: unknown) => {
    throw new CommandInputError((error as Error).message);
  });
  const progress = new ProgressBar('bc5cdr', docs.length);
  const r = scoreNer(docs, find, () => progress.tick());
  progress.finish();
  printTable(
    (['chemical', 'disease', 'all'] as const).flatMap((type) =>
      (['exact', 'overlap'] as const).map((match) => {
        const c = r[match][type];
        return { type, match, precision: c.precision, recall: c.recall, f1: c.f1, tp: c.tp, fp: c.fp, fn: c.fn };
      }),
    ),
  );
  printTable([{ system: options.system, docs: r.nDocs }]);
  printResult({
    suite: 'bc5cdr',
    n_docs: r.nDocs,
    chemical_f1: round(r.exact.chemical.f1),
    disease_f1: round(r.exact.disease.f1),
    f1_overlap: round(r.overlap.all.f1),
  });
}
