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
    .command('bc5cdr')
    .description('Chemical and disease mentions on BC5CDR (PubTator): exact-span F1 per type and overlap F1')
    .option('--file <path>', 'PubTator file (default: the BC5CDR development set)')
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
  const docs = readNerSuite(options.file ?? path.join(sharedDataDir(), 'corpus', 'bc5cdr', 'CDR_DevelopmentSet.PubTator.txt'));
  const score = async (system: string) => {
    const find = await nerFinder(system, 'cdr').catch((error: unknown) => {
      throw new CommandInputError((error as Error).message);
    });
    const progress = new ProgressBar(`bc5cdr ${system}`, docs.length);
    const r = await scoreNer(docs, find, () => progress.tick());
    progress.finish();
    return r;
  };
  if (options.ablation) {
    const rows = [];
    for (const system of nerSystems) {
      const r = await score(system);
      rows.push({
        system,
        chemical_p: r.exact.chemical.precision,
        chemical_r: r.exact.chemical.recall,
        chemical_f1: r.exact.chemical.f1,
        disease_p: r.exact.disease.precision,
        disease_r: r.exact.disease.recall,
        disease_f1: r.exact.disease.f1,
        f1_overlap: r.overlap.all.f1,
      });
    }
    printTable(rows);
  }
  const r = await score(options.system);
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
