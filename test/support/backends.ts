import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Database } from '../../src/db/database.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { openPgDatabase } from '../../src/db/pg-database.ts';
import { openPgliteDatabase } from '../../src/db/pglite-database.ts';

/**
 * Test back ends. PGlite always runs. PostgreSQL (+pgvector) and Redis run when reachable; under
 * CI=true an unreachable server fails the suite instead of skipping it silently.
 */
export const TEST_PG_URL = process.env.CLINOTE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.CLINOTE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const required = process.env.CI === 'true' || process.env.CLINOTE_REQUIRE_SERVICES === '1';

async function reachable(check: () => Promise<unknown>, what: string): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (required) throw new Error(`${what} is required under CI=true but not reachable: ${(error as Error).message}`);
    return false;
  }
}

export const postgresAvailable = await reachable(async () => {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    const rows = (await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`)).rows;
    if (rows.length === 0) throw new Error('pgvector is not installed (run scripts/install-pgvector.sh)');
  } finally {
    await client.end();
  }
}, 'PostgreSQL with pgvector');

export const redisAvailable = await reachable(async () => {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}, 'Redis');

export interface TestDatabase {
  db: Database;
  /** Connection string for child processes (PostgreSQL only). */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database of its own, dropped afterwards. */
export async function createPgTestDatabase(): Promise<TestDatabase> {
  const name = `clinote_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const db = openPgDatabase({ connectionString: url.toString(), max: 5 });
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A migrated PGlite cluster dumped once (per migration set) and shared by every test process:
 * restoring a dump is several times faster than initdb + migrations for each test file.
 */
async function pgliteTemplate(): Promise<Blob> {
  const key = createHash('sha256').update(listMigrations().map((m) => m.version + m.sql).join('\n')).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `clinote-pglite-template-${key}.tar`);
  if (!existsSync(file)) {
    const db = await openPgliteDatabase();
    await migrate(db);
    const dump = Buffer.from(await (await db.dump()).arrayBuffer());
    await db.close();
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, dump);
    renameSync(partial, file); // atomic: concurrent test processes never read a half-written template
  }
  return new Blob([readFileSync(file)]);
}

export async function createPgliteTestDatabase(dataDir?: string): Promise<TestDatabase> {
  // A folder that already holds a database (a restart) is opened as it is.
  const fresh = !dataDir || !existsSync(path.join(dataDir, 'PG_VERSION'));
  const db = await openPgliteDatabase({ dataDir, loadDataDir: fresh ? await pgliteTemplate() : undefined });
  await migrate(db);
  return { db, drop: () => db.close() };
}

/** The back ends every storage test runs against. */
export const databaseBackends: Array<{ name: string; create: () => Promise<TestDatabase> }> = [
  { name: 'pglite', create: () => createPgliteTestDatabase() },
  ...(postgresAvailable ? [{ name: 'postgres', create: createPgTestDatabase }] : []),
];

/** A unique BullMQ key prefix so concurrent test files never see each other's jobs. */
export const uniqueRedisPrefix = () => `clinote-test-${randomBytes(5).toString('hex')}`;
