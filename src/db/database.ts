/**
 * One SQL dialect (PostgreSQL) over two drivers: `pg` against a PostgreSQL server, and PGlite
 * (PostgreSQL compiled to WASM) persisted in a local folder for the embedded default.
 * Repositories only ever see these interfaces.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` whenever a `NOTIFY` (or `pg_notify`) on `channel` is committed, by any process sharing the
   * database, and once after a lost listening connection is back (a notification may have been missed meanwhile).
   * Resolves once listening; the returned function stops. `close()` stops every listener.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** True when a trivial query succeeds (for readiness checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Raised when the database cannot be opened or migrated; carries a hint for the operator. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** PostgreSQL unique-violation (23505) from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
