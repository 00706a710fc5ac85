import type { Command } from 'commander';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('bomb')
    .description('Decompression bombs (deflated DICOM, huge declared dimensions) against an embedded server: answer status and time, /health latency meanwhile, memory growth')
    .option('--rounds <n>', 'uploads of each bomb', '5')
    .action(async (opts: { rounds: string }) => {
      const { benchBomb } = await import('../../../eval/bench/bench-bomb.ts');
      const result = await benchBomb({ rounds: Number(opts.rounds) }, (s) => process.stderr.write(`${s}\n`));
      printTable(
        Object.entries(result.bombs).map(([bomb, o]) => ({ bomb, bytes: o.bytes, statuses: o.statuses.join(' '), 'p50 ms': o.p50_ms, 'max ms': o.max_ms })),
      );
      printTable([
        { measure: 'every bomb refused with a 4xx', value: result.all_4xx },
        { measure: '/health p50 / p99 (ms) just before, no bomb', value: `${result.idle_health_p50_ms} / ${result.idle_health_p99_ms}` },
        { measure: '/health p50 / p99 / max (ms) meanwhile', value: `${result.health_p50_ms} / ${result.health_p99_ms} / ${result.health_max_ms} (${result.health_probes} probes, ${result.health_failures} failed)` },
        { measure: "server's event-loop delay p99 / max (ms) meanwhile", value: `${result.event_loop_p99_ms} / ${result.event_loop_max_ms}` },
        { measure: 'RSS baseline / peak growth / growth after (MB)', value: `${result.rss_baseline_mb} / ${result.rss_peak_growth_mb} / ${result.rss_after_growth_mb}` },
      ]);
      printResult({ ...result });
    });
}
