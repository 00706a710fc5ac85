import type { Command } from 'commander';
import { printTable } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  const icd10 = commandGroup(program, 'icd10');
  icd10
    .command('code')
    .description('Show everything about one ICD-10-CM code (title, billable, parents, children, chapter, block, notes, 7th character) as JSON')
    .argument('<code>', 'the code, any case, dot optional (e.g. s72.001a)')
    .option('--version <name>', 'code-set version (default: CLINOTE_ICD10_VERSION or the bundled FY2021)')
    .action(async (code: string, opts: { version?: string }) => {
      try {
        const { getCode } = await import('../../coding/icd10/code-lookup.ts');
        const found = getCode(code, opts.version);
        if (!found) throw new CommandInputError(`${code.toUpperCase()} is not a code in ICD-10-CM ${opts.version ?? 'active version'}`);
        process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
      } catch (error) {
        const { CodeSetError } = await import('../../coding/icd10/release.ts');
        reportCommandError(error instanceof CodeSetError ? new CommandInputError(error.message) : error);
      }
    });
  icd10
    .command('search')
    .description('Typeahead search of ICD-10-CM codes by code prefix or words (every word may be a prefix)')
    .argument('<query...>', 'code prefix or words, e.g. "fract neck fem"')
    .option('--limit <n>', 'maximum hits', '20')
    .option('--billable', 'only billable codes')
    .option('--version <name>', 'code-set version')
    .action(async (query: string[], opts: { limit: string; billable?: boolean; version?: string }) => {
      try {
        const { searchCodes } = await import('../../coding/icd10/code-lookup.ts');
        const hits = searchCodes(query.join(' '), { limit: Number(opts.limit), billableOnly: opts.billable, version: opts.version });
        printTable(hits.map((h) => ({ code: h.code, billable: h.billable ? 'yes' : 'no', matched: h.matched, title: h.title })));
      } catch (error) {
        const { CodeSetError } = await import('../../coding/icd10/release.ts');
        reportCommandError(error instanceof CodeSetError ? new CommandInputError(error.message) : error);
      }
    });
  icd10
    .command('versions')
    .description('List installed ICD-10-CM code-set versions and which one is active')
    .action(async () => {
      const { activeVersion, listVersions } = await import('../../coding/icd10/versions.ts');
      const active = activeVersion();
      printTable(listVersions().map((v) => ({ version: v.version, active: v.version === active ? 'yes' : '', bundled: v.bundled ? 'yes' : '', file: v.file })));
    });
}
