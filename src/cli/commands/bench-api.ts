import type { Command } from 'commander';
import { printResult, printTable } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('api')
    .description(
      'HTTP req/s for GET /v1/notes/{id} vs a bare Hono handler, and jobs/s through the queue driver vs bare BullMQ (needs Redis: REDIS_URL or 127.0.0.1:6379)',
    )
    .option('--seconds <n>', 'seconds of load per server, in alternating rounds of about 2 s', '10')
    .option('--connections <n>', 'concurrent HTTP connections', '16')
    .option('--jobs <n>', 'no-op jobs per queue measurement', '5000')
    .action(async (opts: { seconds: string; connections: string; jobs: string }) => {
      const [{ benchApi }, { loadConfig }] = await Promise.all([import('../../../eval/bench/bench-api.ts'), import('../../config/env.ts')]);
      const config = loadConfig();
      const result = await benchApi(
        {
          seconds: Number(opts.seconds),
          connections: Number(opts.connections),
          jobs: Number(opts.jobs),
          redisUrl: config.REDIS_URL ?? 'redis://127.0.0.1:6379',
          databaseUrl: config.DATABASE_URL,
        },
        (s) => process.stderr.write(`${s}\n`),
      );
      printTable([
        { measure: 'GET /v1/notes/{id}', clinote: result.api_rps, baseline: result.bare_rps, ratio: result.api_ratio, unit: 'req/s' },
        { measure: 'no-op jobs', clinote: result.queue_jobs_per_s, baseline: result.bullmq_jobs_per_s, ratio: result.queue_ratio, unit: 'jobs/s' },
      ]);
      printResult({ ...result });
    });
}
