import type { Command } from 'commander';
import path from 'node:path';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';
import { reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('icd10')
    .description(
      'ICD-10 speed on one core: code suggestions per note (p50/p99 ms, excluding structuring) over the CodiEsp dev notes, typeahead search and code lookup',
    )
    .option('--dir <dir>', 'CodiEsp folder (default: the shared eval/codiesp)')
    .option('--split <name>', 'split whose English notes are used', 'dev')
    .option('--top <n>', 'suggestions per note', '20')
    .action(async (opts: { dir?: string; split: string; top: string }) => {
      try {
        const { sharedDataDir } = await import('../../config/paths.ts');
        const { benchIcd10 } = await import('../../../eval/codiesp-bench.ts');
        const result = benchIcd10(opts.dir ?? path.join(sharedDataDir(), 'eval', 'codiesp'), opts.split, Number(opts.top));
        printTable([
          { measure: `suggestCodes (top ${opts.top}), ${result.notes} notes`, p50_ms: result.suggest_p50_ms, p99_ms: result.suggest_p99_ms },
          { measure: 'suggestCodes CPU time per note', p50_ms: result.suggest_cpu_p50_ms, p99_ms: '' },
          { measure: `searchCodes, ${result.search_queries} queries`, p50_ms: result.search_p50_ms, p99_ms: result.search_p99_ms },
          { measure: 'getCode', p50_ms: result.code_p50_ms, p99_ms: '' },
        ]);
        printResult({ suite: 'bench-icd10', ...result });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
