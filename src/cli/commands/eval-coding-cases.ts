import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/paths.ts';
import { printResult, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('coding-cases')
    .description(
      'ICD-10-CM guideline coding on coding cases (JSON lines: id, setting, text, gold, must_not), through the same path as POST /v1/icd10/suggest: each case\'s misses and false positives, then precision, recall, F1, MAP, must-not leaks, unsupported codes and median ms per note',
    )
    .option('--file <path>', 'cases file', path.join(projectRoot, 'eval', 'coding-cases', 'cases.jsonl'))
    .action(async (opts: { file: string }) => {
      try {
        const file = path.resolve(opts.file);
        if (!existsSync(file)) throw new CommandInputError(`No coding-cases file at ${file}`);
        const { CodingCasesFormatError, evaluateCodingCases, readCodingCases } = await import('../../../eval/coding-cases.ts');
        let cases;
        try {
          cases = readCodingCases(file);
        } catch (error) {
          if (error instanceof CodingCasesFormatError) throw new CommandInputError(error.message);
          throw error;
        }
        const { structureText } = await import('../../notes/structure.ts');
        const { learnedFinder } = await import('../../notes/learned-finder-files.ts');
        const { codeNote } = await import('../../coding/icd10/note-codes.ts');
        const { supportsCode } = await import('../../coding/icd10/guidelines/grounding.ts');
        const { loadCodeSet } = await import('../../coding/icd10/versions.ts');
        const codeSet = loadCodeSet();
        // Load the models before timing, as a running service has them loaded.
        const finder = await learnedFinder();
        codeNote('warm-up: hypertension', await structureText('warm-up: hypertension', 'typed', null, finder));
        const progress = new ProgressBar('coding-cases', cases.length);
        // The note pipeline's path: structuring with the learned mention finder, then coding.
        const { result, cases: outcomes, principalAccuracy, byConfidence } = await evaluateCodingCases(
          cases,
          async (text, setting) => codeNote(text, await structureText(text, 'typed', null, finder), 20, setting).suggestions,
          (code, evidence) => supportsCode(codeSet, code, evidence),
          () => progress.tick(),
        );
        progress.finish();
        for (const o of outcomes) {
          if (o.misses.length + o.falsePositives.length + o.unsupported.length === 0) continue;
          const parts = [`${o.id} (${o.setting})`, `proposed ${o.proposed.join(' ') || '-'}`];
          if (o.misses.length) parts.push(`missed ${o.misses.join(' ')}`);
          if (o.falsePositives.length) parts.push(`false positives ${o.falsePositives.join(' ')}`);
          if (o.leaks.length) parts.push(`MUST-NOT leaks ${o.leaks.join(' ')}`);
          if (o.unsupported.length) parts.push(`unsupported ${o.unsupported.join(' ')}`);
          process.stdout.write(`${parts.join('; ')}\n`);
        }
        process.stdout.write(`principal / first-listed code correct: ${principalAccuracy}\n`);
        process.stdout.write(`precision by confidence: ${byConfidence.map((l) => `${l.confidence} ${l.precision} (${l.proposed} codes)`).join(', ')}\n`);
        printResult({ ...result });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
