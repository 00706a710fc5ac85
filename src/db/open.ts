import path from 'node:path';
import type { Config } from '../config/env.ts';
import { DatabaseUnavailableError, type Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPgDatabase } from './pg-database.ts';
import { openPgliteThreadDatabase } from './pglite-thread.ts';

/** Opens the database the configuration selects and brings its schema up to date. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'dataDir'>, options: { migrate?: boolean } = {}): Promise<Database> {
  let db: Database;
  try {
    db = config.DATABASE_URL
      ? openPgDatabase({ connectionString: config.DATABASE_URL })
      : // On its own thread, so the embedded database never stalls the thread that serves HTTP.
        await openPgliteThreadDatabase({ dataDir: path.join(config.dataDir, 'pgdata') });
    if (!(await db.ping())) throw new Error('the database did not answer SELECT 1');
  } catch (error) {
    const where = config.DATABASE_URL ? 'DATABASE_URL' : `the embedded database in ${config.dataDir}`;
    throw new DatabaseUnavailableError(`Cannot open ${where}: ${(error as Error).message}`);
  }
  if (options.migrate ?? true) await migrate(db);
  return db;
}
