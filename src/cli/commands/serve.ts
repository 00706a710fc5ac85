import type { Command } from 'commander';

// The service modules load lazily so `clinote --help` stays fast.

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API. Embedded default (no DATABASE_URL/REDIS_URL): PGlite in CLINOTE_DATA_DIR and in-process workers. ' +
        'With REDIS_URL, workers run in `clinote worker` processes unless --with-workers is given.',
    )
    .option('--with-workers', 'also run job workers in this process (always on in embedded mode)')
    .action(async (opts: { withWorkers?: boolean }) => {
      const [{ runService }, { loadConfig }] = await Promise.all([import('../../boot/serve.ts'), import('../../config/env.ts')]);
      await runService({ api: true, workers: Boolean(opts.withWorkers) || loadConfig().queue === 'in-process' });
    });

  program
    .command('worker')
    .description('Run job workers only (start any number, on any machines sharing one DATABASE_URL and REDIS_URL)')
    .action(async () => {
      const [{ runService }, { loadConfig }] = await Promise.all([import('../../boot/serve.ts'), import('../../config/env.ts')]);
      if (loadConfig().queue === 'in-process') {
        process.stderr.write('clinote: note: without REDIS_URL this worker only drains unfinished work found in the database.\n');
      }
      await runService({ api: false, workers: true });
    });
}
