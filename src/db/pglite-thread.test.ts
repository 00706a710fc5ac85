import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from './database.ts';
import type { PgliteDatabase } from './pglite-database.ts';
import { openPgliteThreadDatabase } from './pglite-thread.ts';

describe('PGlite on its own thread', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-pglite-thread-'));
  let db: PgliteDatabase;
  beforeAll(async () => {
    db = await openPgliteThreadDatabase({ dataDir });
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, b bytea, d date, j jsonb, at timestamptz(3))');
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers with the values the driver gives on one thread', async () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    await db.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5)', [1, Buffer.from('bytes'), '2020-01-02', JSON.stringify({ a: [1, 'é'] }), at]);
    const [row] = await db.query<{ id: number; b: Uint8Array; d: string; j: unknown; at: Date }>('SELECT * FROM t WHERE id = $1', [1]);
    expect(row).toEqual({ id: 1, b: new Uint8Array(Buffer.from('bytes')), d: '2020-01-02', j: { a: [1, 'é'] }, at });
    expect(await db.ping()).toBe(true);
  });

  it('keeps the error code a caller tests (unique violation)', async () => {
    const error = await db.query('INSERT INTO t (id) VALUES (1)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isUniqueViolation(error)).toBe(true);
    expect((error as Error).message).toMatch(/duplicate key/);
  });

  it('commits a transaction that resolves and rolls back one that throws or whose statement fails', async () => {
    expect(await db.transaction(async (tx) => (await tx.query<{ id: number }>('INSERT INTO t (id) VALUES (2) RETURNING id'))[0]!.id)).toBe(2);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (3)');
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (4)');
        await tx.query('INSERT INTO t (id) VALUES (4)');
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    expect((await db.query<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([1, 2]);
  });

  it('makes a statement outside an open transaction wait for it, as PGlite does on one thread', async () => {
    const seen: string[] = [];
    await Promise.all([
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (5)');
        await new Promise((r) => setTimeout(r, 100));
        await tx.query('DELETE FROM t WHERE id = 5');
        seen.push('transaction');
      }),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 5').then(([row]) => seen.push(`outside saw ${row!.n}`)),
    ]);
    expect(seen).toEqual(['transaction', 'outside saw 0']);
  });

  it('delivers notifications to listeners until they stop', async () => {
    const heard: string[] = [];
    const stop = await db.listen('clinote_test_channel', () => heard.push('a'));
    await db.query("SELECT pg_notify('clinote_test_channel', 'x')");
    await db.transaction((tx) => tx.query("SELECT pg_notify('clinote_test_channel', 'y')"));
    await expect.poll(() => heard.length).toBe(2);
    await stop();
    await db.query("SELECT pg_notify('clinote_test_channel', 'z')");
    await db.query('SELECT 1');
    expect(heard).toHaveLength(2);
  });

  it('keeps the calling thread free while the database works', async () => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    await db.query("SELECT count(DISTINCT md5(g::text)) FROM generate_series(1, 300000) g");
    const busyMs = performance.now() - started;
    delay.disable();
    expect(busyMs).toBeGreaterThan(200);
    expect(delay.max / 1e6).toBeLessThan(100);
  });

  it('writes everything on close, refuses calls after it, and the folder reopens with the data', async () => {
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);
    expect(await db.ping()).toBe(false);
    const reopened = await openPgliteThreadDatabase({ dataDir });
    expect((await reopened.query<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([1, 2]);
    await reopened.close();
  }, 120_000);
});
