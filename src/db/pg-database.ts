import pg from 'pg';
import type { Database, Queryable } from './database.ts';

// Dates stay strings for `date` columns so a birth date never shifts with the server's time zone.
pg.types.setTypeParser(1082, (v: string) => v);

/** Options for the PostgreSQL driver. */
export interface PgDatabaseOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
}

export function openPgDatabase(options: PgDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[] | undefined)).rows as T[];

  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = { query: (sql, params) => run(client, sql, params), exec: async (sql) => void (await client.query(sql)) };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
