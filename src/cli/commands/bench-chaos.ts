import type { Command } from 'commander';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('chaos')
    .description(
      'PostgreSQL + Redis under faults: a burst of notes with Idempotency-Key and client retries while a worker and the API server are SIGKILLed, ' +
        "then the Redis keys are deleted and the database connections terminated; checks nothing accepted was lost or duplicated (its own database and Redis prefix; DATABASE_URL/REDIS_URL or the test defaults)",
    )
    .option('--notes <n>', 'notes in the burst', '300')
    .option('--kb <n>', 'size of each note in KiB', '4')
    .option('--concurrency <n>', 'clients sending at once', '20')
    .option('--drain-timeout <s>', 'longest wait for the backlog, seconds', '600')
    .action(async (opts: { notes: string; kb: string; concurrency: string; drainTimeout: string }) => {
      const [{ benchChaos }, { loadConfig }] = await Promise.all([import('../../../eval/bench/bench-chaos.ts'), import('../../config/env.ts')]);
      const config = loadConfig();
      const result = await benchChaos(
        {
          databaseUrl: config.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
          redisUrl: config.REDIS_URL ?? 'redis://127.0.0.1:6379',
          notes: Number(opts.notes),
          noteBytes: Number(opts.kb) * 1024,
          concurrency: Number(opts.concurrency),
          drainTimeoutS: Number(opts.drainTimeout),
        },
        (s) => process.stderr.write(`${s}\n`),
      );
      printTable([
        { measure: 'accepted / stored / processed', value: `${result.accepted} / ${result.stored} / ${result.processed}` },
        { measure: 'lost / duplicated / unprocessed', value: `${result.lost} / ${result.duplicated} / ${result.unprocessed}` },
        { measure: 'faults: server kills / worker kills / Redis keys deleted / PG connections ended', value: `${result.server_kills} / ${result.worker_kills} / ${result.redis_keys_deleted} / ${result.pg_backends_terminated}` },
        { measure: 'client: retries / resets / timeouts / 409 / 503', value: `${result.retries} / ${result.resets} / ${result.timeouts} / ${result.status_409} / ${result.status_503}` },
        { measure: '/health p99 during the burst (ms)', value: result.health_p99_ms_during_burst },
        { measure: 'recovery after Redis loss (s)', value: result.recovery_s },
      ]);
      // The summary fields first, then the details; the whole object is the last line.
      printResult({ ...result });
    });
}
