import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

const round = (x: number) => Number(x.toFixed(4));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('ncbi-disease')
    .description('Disease mentions on NCBI-disease (PubTator): exact-span precision/recall/F1 and overlap F1')
    .option('--file <path>', 'PubTator file (default: the NCBI-disease development set)')
    .option('--system <name>', 'mention finder to score: structurer (the rule-and-lexicon baseline)', 'structurer')
    .action(async (options: { file?: string; system: string }) => {
      await run(options).catch(reportCommandError);
    });
}

async function run(options: { file?: string; system: string }): Promise<void> {
  const { readPubtator, nerFinder, scoreNer, PubtatorFormatError } = await import('../../../eval/ner.ts');
  const file = options.file ?? path.join(sharedDataDir(), 'corpus', 'ncbi_disease', 'NCBIdevelopset_corpus.txt');
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
  const progress = new ProgressBar('ncbi-disease', docs.length);
  // NCBI-disease annotates diseases only: chemical mentions are not scored.
  const r = scoreNer(docs, (text) => find(text).filter((m) => m.type === 'disease'), () => progress.tick());
  progress.finish();
  const e = r.exact.disease;
  const o = r.overlap.disease;
  printTable([
    { match: 'exact', precision: e.precision, recall: e.recall, f1: e.f1, tp: e.tp, fp: e.fp, fn: e.fn },
    { match: 'overlap', precision: o.precision, recall: o.recall, f1: o.f1, tp: o.tp, fp: o.fp, fn: o.fn },
  ]);
  printTable([{ system: options.system, docs: r.nDocs }]);
  printResult({
    suite: 'ncbi-disease',
    n_docs: r.nDocs,
    precision: round(e.precision),
    recall: round(e.recall),
    f1: round(e.f1),
    f1_overlap: round(o.f1),
  });
}
