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

/** How soon a listener whose connection dropped (server restart, terminated backend) tries again. */
const LISTEN_RETRY_MS = 1000;

export function openPgDatabase(options: PgDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  const listeners = new Set<() => Promise<void>>();
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
    async listen(channel, onNotify) {
      // LISTEN holds its connection for good, so it gets a client of its own rather than one of the pool's.
      let client: pg.Client | undefined;
      let retry: NodeJS.Timeout | undefined;
      let stopped = false;
      const later = () => {
        if (!stopped && !retry) retry = setTimeout(() => ((retry = undefined), void reconnect()), LISTEN_RETRY_MS);
      };
      const connect = async () => {
        const next = new pg.Client({ connectionString: options.connectionString });
        next.on('notification', (message) => message.channel === channel && onNotify());
        next.on('error', () => undefined); // a lost connection also ends the client, handled below
        next.once('end', () => {
          if (client !== next) return;
          client = undefined;
          later();
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (error) {
          await next.end().catch(() => undefined);
          throw error;
        }
        client = next;
      };
      const reconnect = async () => {
        try {
          await connect();
          onNotify();
        } catch {
          later();
        }
      };
      await connect();
      const stop = async () => {
        stopped = true;
        clearTimeout(retry);
        listeners.delete(stop);
        await client?.end().catch(() => undefined);
      };
      listeners.add(stop);
      return stop;
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}
