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

type NerResult = Awaited<ReturnType<(typeof import('../../../eval/ner.ts'))['scoreNer']>>;

/** One PubTator suite: where its dev file is, which head of the model it uses, and how it reports. */
interface NerSuite {
  name: 'ncbi-disease' | 'bc5cdr';
  description: string;
  devFile: string[];
  head: 'ncbi' | 'cdr';
  /** NCBI-disease annotates diseases only: chemical mentions are not scored there. */
  diseasesOnly: boolean;
  ablationRow(r: NerResult): Record<string, number>;
  table(r: NerResult): Array<Record<string, string | number>>;
  result(r: NerResult): Record<string, number>;
}

const counts = (c: NerResult['exact']['all']) => ({ precision: c.precision, recall: c.recall, f1: c.f1, tp: c.tp, fp: c.fp, fn: c.fn });

const suites: NerSuite[] = [
  {
    name: 'ncbi-disease',
    description: 'Disease mentions on NCBI-disease (PubTator): exact-span precision/recall/F1 and overlap F1',
    devFile: ['ncbi_disease', 'NCBIdevelopset_corpus.txt'],
    head: 'ncbi',
    diseasesOnly: true,
    ablationRow: ({ exact, overlap }) => ({ precision: exact.disease.precision, recall: exact.disease.recall, f1: exact.disease.f1, f1_overlap: overlap.disease.f1 }),
    table: (r) => (['exact', 'overlap'] as const).map((match) => ({ match, ...counts(r[match].disease) })),
    result: (r) => ({
      precision: round(r.exact.disease.precision),
      recall: round(r.exact.disease.recall),
      f1: round(r.exact.disease.f1),
      f1_overlap: round(r.overlap.disease.f1),
    }),
  },
  {
    name: 'bc5cdr',
    description: 'Chemical and disease mentions on BC5CDR (PubTator): exact-span F1 per type and overlap F1',
    devFile: ['bc5cdr', 'CDR_DevelopmentSet.PubTator.txt'],
    head: 'cdr',
    diseasesOnly: false,
    ablationRow: ({ exact, overlap }) => ({
      chemical_p: exact.chemical.precision,
      chemical_r: exact.chemical.recall,
      chemical_f1: exact.chemical.f1,
      disease_p: exact.disease.precision,
      disease_r: exact.disease.recall,
      disease_f1: exact.disease.f1,
      f1_overlap: overlap.all.f1,
    }),
    table: (r) =>
      (['chemical', 'disease', 'all'] as const).flatMap((type) => (['exact', 'overlap'] as const).map((match) => ({ type, match, ...counts(r[match][type]) }))),
    result: (r) => ({ chemical_f1: round(r.exact.chemical.f1), disease_f1: round(r.exact.disease.f1), f1_overlap: round(r.overlap.all.f1) }),
  },
];

export function register(program: Command): void {
  for (const suite of suites) {
    commandGroup(program, 'eval')
      .command(suite.name)
      .description(suite.description)
      .option('--file <path>', `PubTator file (default: the ${suite.name === 'bc5cdr' ? 'BC5CDR' : 'NCBI-disease'} development set)`)
      .option('--system <name>', 'mention finder: model (as shipped), network (CRF decoding only), network-propagation, names (network-propagation with the name memory alone), network-no-gazetteer, gazetteer (lexicon matches alone) or structurer (the rule-and-lexicon structurer)', 'model')
      .option('--ablation', 'first print one row per system (what each part contributes)')
      .action(async (options: Options) => {
        await run(suite, options).catch(async (error: unknown) => {
          const { NerSuiteInputError } = await import('../../../eval/ner.ts');
          reportCommandError(error instanceof NerSuiteInputError ? new CommandInputError(error.message) : error);
        });
      });
  }
}

async function run(suite: NerSuite, options: Options): Promise<void> {
  const { readNerSuite, nerFinder, nerSystems, scoreNer } = await import('../../../eval/ner.ts');
  const docs = readNerSuite(options.file ?? path.join(sharedDataDir(), 'corpus', ...suite.devFile));
  const score = async (system: string) => {
    const find = await nerFinder(system, suite.head).catch((error: unknown) => {
      throw new CommandInputError((error as Error).message);
    });
    const scored = suite.diseasesOnly ? async (text: string) => (await find(text)).filter((m) => m.type === 'disease') : find;
    const progress = new ProgressBar(`${suite.name} ${system}`, docs.length);
    const r = await scoreNer(docs, scored, () => progress.tick());
    progress.finish();
    return r;
  };
  if (options.ablation) {
    const rows = [];
    for (const system of nerSystems) rows.push({ system, ...suite.ablationRow(await score(system)) });
    printTable(rows);
  }
  const r = await score(options.system);
  printTable(suite.table(r));
  printTable([{ system: options.system, docs: r.nDocs }]);
  printResult({ suite: suite.name, n_docs: r.nDocs, ...suite.result(r) });
}
