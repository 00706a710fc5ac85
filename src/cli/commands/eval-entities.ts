import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

const round = (x: number) => Number(x.toFixed(4));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('entities')
    .description('Entity spans of note structuring on clinical cases: P/R/F1 per type (exact and overlap), assertion and attribute accuracy, RxNorm share')
    .option('--file <path>', 'cases file, JSON lines {"id","text","entities":[{"start","end","type","assertion"?}]}', path.join(projectRoot, 'eval', 'entities', 'cases.jsonl'))
    .option('--misses', 'also list every missed, spurious and wrongly asserted span')
    .action(async (options: { file: string; misses?: boolean }) => {
      const { evaluateEntities, parseEntityCases, entityTypes } = await import('../../../eval/entities.ts');
      const { structureText } = await import('../../notes/structure.ts');
      const { learnedFinder } = await import('../../notes/learned-finder-files.ts');
      const finder = await learnedFinder();
      const cases = parseEntityCases(readFileSync(options.file, 'utf8'), options.file);
      const progress = new ProgressBar('entities', cases.length);
      const notes = [];
      // The API's POST /v1/structure path (learned mention finder included), without the optional LLM pass.
      for (const c of cases) {
        notes.push(await structureText(c.text, 'typed', null, finder));
        progress.tick();
      }
      progress.finish();
      const r = evaluateEntities(cases, notes);
      if (options.misses) {
        printTable(r.misses.map((m) => ({ id: m.id, kind: m.kind, type: m.type, text: m.text, detail: m.detail ?? '' })));
      }
      printTable(
        entityTypes.map((t) => ({
          type: t,
          gold: r.exact[t].tp + r.exact[t].fn,
          predicted: r.exact[t].tp + r.exact[t].fp,
          precision: r.exact[t].precision,
          recall: r.exact[t].recall,
          f1: r.exact[t].f1,
          overlap_precision: r.overlap[t].precision,
          overlap_recall: r.overlap[t].recall,
          overlap_f1: r.overlap[t].f1,
        })),
      );
      printTable(Object.entries(r.assertion.byGold).map(([gold, b]) => ({ assertion: gold, n: b.n, correct: b.correct, accuracy: b.correct / b.n })));
      const attributes = Object.entries(r.attributes);
      if (attributes.length > 0) printTable(attributes.map(([attribute, a]) => ({ attribute, n: a.n, correct: a.correct, accuracy: a.accuracy })));
      printTable([
        {
          notes: r.n,
          micro_f1: r.microExact.f1,
          micro_f1_overlap: r.microOverlap.f1,
          assertion_n: r.assertion.n,
          assertion_accuracy: r.assertion.accuracy,
          medications_matched: r.rxnorm.matched,
          with_rxnorm: r.rxnorm.coded,
          rxnorm_share: r.rxnorm.share,
        },
      ]);
      printResult({
        suite: 'entities',
        n: r.n,
        problem_f1: round(r.exact.problem.f1),
        medication_f1: round(r.exact.medication.f1),
        lab_f1: round(r.exact.lab.f1),
        vital_f1: round(r.exact.vital.f1),
        allergy_f1: round(r.exact.allergy.f1),
        assertion_accuracy: round(r.assertion.accuracy),
        f1_overlap: round(r.microOverlap.f1),
      });
    });
}
