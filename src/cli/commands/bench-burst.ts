import type { Command } from 'commander';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('burst')
    .description(
      'Embedded server under a burst of large notes sent with Idempotency-Key and client retries: /health latency meanwhile, resets, and every accepted note stored once and processed',
    )
    .option('--notes <n>', 'notes in the burst', '500')
    .option('--kb <n>', 'size of each note in KiB', '39')
    .option('--concurrency <n>', 'clients sending at once', '100')
    .option('--timeout <s>', 'client timeout per POST attempt, seconds', '10')
    .option('--drain-timeout <s>', 'longest wait for processing, seconds', '1800')
    .option('--max-pending <n>', "the server's CLINOTE_MAX_PENDING_JOBS (default: the server's own)")
    .action(async (opts: { notes: string; kb: string; concurrency: string; timeout: string; drainTimeout: string; maxPending?: string }) => {
      const { benchBurst } = await import('../../../eval/bench/bench-burst.ts');
      const result = await benchBurst(
        {
          notes: Number(opts.notes),
          noteBytes: Number(opts.kb) * 1024,
          concurrency: Number(opts.concurrency),
          timeoutMs: Number(opts.timeout) * 1000,
          drainTimeoutS: Number(opts.drainTimeout),
          serverEnv: opts.maxPending ? { CLINOTE_MAX_PENDING_JOBS: opts.maxPending } : {},
        },
        (s) => process.stderr.write(`${s}\n`),
      );
      printTable([
        { measure: 'accepted / stored / processed', value: `${result.accepted} / ${result.stored} / ${result.processed}` },
        { measure: 'lost / duplicated', value: `${result.lost} / ${result.duplicated}` },
        { measure: 'resets / timeouts / 503s', value: `${result.resets} / ${result.timeouts} / ${result.status_503}` },
        { measure: '/health p50 / p99 / max (ms)', value: `${result.health_p50_ms} / ${result.health_p99_ms} / ${result.health_max_ms}` },
        { measure: "server's event-loop delay p99 / max (ms)", value: `${result.event_loop_p99_ms} / ${result.event_loop_max_ms}` },
        { measure: 'POST p99 (ms)', value: result.post_p99_ms },
        { measure: 'sent / processed after (s)', value: `${result.submit_s} / ${result.drain_s}` },
      ]);
      printResult({ ...result });
    });
}
