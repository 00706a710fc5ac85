import type { Command } from 'commander';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('startup')
    .description(
      'Launch `clinote serve` on a fresh embedded data folder twice (models loaded on first use, then preloaded) and time /health and the first ICD-10 suggestion request',
    )
    .action(async () => {
      const { benchStartup } = await import('../../../eval/bench/bench-startup.ts');
      const result = await benchStartup((s) => process.stderr.write(`${s}\n`));
      printTable([
        { models: 'on first use', health_ms: result.health_ms_lazy, loaded_ms: '', first_suggest_ms: result.first_suggest_ms_lazy },
        { models: 'preloaded', health_ms: result.health_ms_preload, loaded_ms: result.models_loaded_ms, first_suggest_ms: result.first_suggest_ms_preloaded },
      ]);
      printResult({ ...result });
    });
}
