import type { Command } from 'commander';
import { printTable, readInput } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'icd10')
    .command('suggest')
    .description(
      'Suggest ICD-10-CM codes for a note under the Official Guidelines: proposed codes in sequence (principal or first-listed first) with role, rule, evidence spans (offsets into the text, with their assertion) and coder flags, then unproposed alternatives; prints JSON (or a table with --table)',
    )
    .argument('<file>', 'note text file, or - for stdin')
    .option('--top <n>', 'number of suggestions', '20')
    .option('--version <name>', 'code-set version (default: CLINOTE_ICD10_VERSION or the bundled FY2021)')
    .option('--setting <setting>', 'care setting: outpatient, ED or inpatient (inpatient codes uncertain diagnoses as established)', 'outpatient')
    .option('--table', 'print a table instead of JSON')
    .action(async (file: string, opts: { top: string; version?: string; setting: string; table?: boolean }) => {
      try {
        const top = Number(opts.top);
        if (!Number.isInteger(top) || top < 1) throw new CommandInputError('--top must be a positive integer');
        const { codingSettings } = await import('../../coding/icd10/guidelines/setting.ts');
        const setting = codingSettings.find((s) => s === opts.setting);
        if (!setting) throw new CommandInputError(`--setting must be one of ${codingSettings.join(', ')}, not ${opts.setting}`);
        const text = await readInput(file).catch((error: NodeJS.ErrnoException) => {
          throw new CommandInputError(`cannot read ${file}: ${error.code ?? error.message}`);
        });
        const [{ suggestCodes }, { structureText }, { learnedFinder }] = await Promise.all([
          import('../../coding/icd10/suggest.ts'),
          import('../../notes/structure.ts'),
          import('../../notes/learned-finder-files.ts'),
        ]);
        // Structured as the note pipeline and POST /v1/icd10/suggest structure a note, so all three give the same codes.
        const structured = await structureText(text, 'typed', null, await learnedFinder());
        const suggestions = suggestCodes({ text, structured }, { top, version: opts.version, setting });
        if (!opts.table) {
          process.stdout.write(`${JSON.stringify({ setting, suggestions }, null, 2)}\n`);
          return;
        }
        printTable(
          suggestions.map((s) => ({
            rank: s.rank,
            code: s.code,
            score: s.score,
            proposed: s.proposed ? 'yes' : '',
            role: s.proposed ? s.role : '',
            title: s.title.length > 60 ? `${s.title.slice(0, 57)}...` : s.title,
            evidence: s.evidence.map((e) => e.text).join(' | ').slice(0, 50),
            flags: [...new Set(s.flags.map((f) => f.kind))].join(','),
          })),
        );
      } catch (error) {
        reportCommandError(error);
      }
    });
}
