import path from 'node:path';
import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

const round = (x: number) => Number(x.toFixed(4));

interface Options {
  file?: string;
  system: string;
  ablation?: boolean;
}

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('ncbi-disease')
    .description('Disease mentions on NCBI-disease (PubTator): exact-span precision/recall/F1 and overlap F1')
    .option('--file <path>', 'PubTator file (default: the NCBI-disease development set)')
    .option('--system <name>', 'mention finder: model (as shipped), network (CRF decoding only), network-propagation, network-no-gazetteer, gazetteer (lexicon matches alone) or structurer (the rule-and-lexicon structurer)', 'model')
    .option('--ablation', 'first print one row per system (what each part contributes)')
    .action(async (options: Options) => {
      await run(options).catch(async (error: unknown) => {
        const { NerSuiteInputError } = await import('../../../eval/ner.ts');
        reportCommandError(error instanceof NerSuiteInputError ? new CommandInputError(error.message) : error);
      });
    });
}

async function run(options: Options): Promise<void> {
  const { readNerSuite, nerFinder, nerSystems, scoreNer } = await import('../../../eval/ner.ts');
  const docs = readNerSuite(options.file ?? path.join(sharedDataDir(), 'corpus', 'ncbi_disease', 'NCBIdevelopset_corpus.txt'));
  const score = async (system: string) => {
    const find = await nerFinder(system, 'ncbi').catch((error: unknown) => {
      throw new CommandInputError((error as Error).message);
    });
    const progress = new ProgressBar(`ncbi-disease ${system}`, docs.length);
    // NCBI-disease annotates diseases only: chemical mentions are not scored.
    const r = await scoreNer(docs, async (text) => (await find(text)).filter((m) => m.type === 'disease'), () => progress.tick());
    progress.finish();
    return r;
  };
  if (options.ablation) {
    const rows = [];
    for (const system of nerSystems) {
      const { exact, overlap } = await score(system);
      rows.push({ system, precision: exact.disease.precision, recall: exact.disease.recall, f1: exact.disease.f1, f1_overlap: overlap.disease.f1 });
    }
    printTable(rows);
  }
  const r = await score(options.system);
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
