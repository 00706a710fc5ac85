import { mkdirSync } from 'node:fs';
import { PRIVATE_DIR_MODE } from '../config/data-dir.ts';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import type { Database, Queryable } from './database.ts';

/** Options for the embedded PGlite driver. */
export interface PgliteDatabaseOptions {
  /** Folder holding the database files; undefined → in memory (tests). */
  dataDir?: string | undefined;
  /** Start from a dump made by `dump()` instead of an empty cluster (restoring a backup; test templates). */
  loadDataDir?: Blob | undefined;
}

export interface PgliteDatabase extends Database {
  /** The whole database as a tarball, restorable with `loadDataDir`. */
  dump(): Promise<Blob>;
}

const parsers = { [types.DATE]: (v: string) => v };

export async function openPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector }, parsers, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const run = async <T>(target: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    (await target.query<T>(sql, params as unknown[] | undefined)).rows;

  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params), exec: async (sql) => void (await tx.exec(sql)) } satisfies Queryable)),
    listen: async (channel, onNotify) => {
      const stop = await db.listen(channel, () => onNotify());
      return () => stop();
    },
    async ping() {
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    dump: () => db.dumpDataDir('none') as Promise<Blob>,
    close: () => db.close(),
  };
}
