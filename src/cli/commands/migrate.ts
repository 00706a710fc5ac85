import type { Command } from 'commander';
import { migrate } from '../../db/migrate.ts';
import { withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server and workers also do this at start-up)')
    .action(async () => {
      await withRuntime({ purpose: 'clinote migrate', migrate: false }, async (rt) => {
        const applied = await migrate(rt.db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : `database is up to date (${rt.config.storage})\n`);
      });
    });
}
