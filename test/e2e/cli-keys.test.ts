import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { listMigrations } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open.ts';
import { verifyApiKey } from '../../src/access/api-keys-repository.ts';
import { embeddedEnv, runClinote } from '../support/cli-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-cli-'));
const env = embeddedEnv(dataDir);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Opens the folder's database as the server would, without migrating (the CLI has exited, so PGlite is free). */
async function withFolder<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ DATABASE_URL: undefined, dataDir }, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `keys list` rows as objects, from its header line and two-space-aligned columns. */
function parseTable(stdout: string): Array<Record<string, string>> {
  const [header, , ...rows] = stdout.trimEnd().split('\n');
  const columns = [...header!.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index }));
  return rows.map((row) =>
    Object.fromEntries(columns.map((c, i) => [c.name, row.slice(c.start, columns[i + 1]?.start).trim()])),
  );
}

describe('clinote migrate and keys on an embedded data folder (server stopped)', () => {
  it('migrate creates a new folder, lists the migrations it applied, and then says it is up to date', async () => {
    const result = await runClinote(['migrate'], env);
    expect(result).toMatchObject({ code: 0, stdout: `applied: ${listMigrations().map((m) => m.version).join(', ')}\n` });
    expect(await runClinote(['migrate'], env)).toMatchObject({ code: 0, stdout: 'database is up to date (pglite)\n' });
    const versions = await withFolder((db) => db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version'));
    expect(versions.map((v) => v.version)).toEqual(listMigrations().map((m) => m.version));
  });

  it('creates a key and prints its token once, lists it without the secret, and revokes it', async () => {
    const created = await runClinote(['keys', 'create', '--role', 'doctor', '--label', 'Ward 7'], env);
    expect(created.code).toBe(0);
    // The token alone on stdout (for scripts); what it is goes to stderr.
    expect(created.stdout).toMatch(/^cln_[a-z0-9]{12}_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();
    const id = /Created doctor key ([0-9a-f-]{36}) \(Ward 7\)\. The token is shown only once/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    expect(await withFolder((db) => verifyApiKey(db, token))).toMatchObject({ id, role: 'doctor', label: 'Ward 7' });

    const listed = await runClinote(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token.split('_')[2]);
    expect(parseTable(listed.stdout)).toEqual([
      expect.objectContaining({ id, prefix: token.split('_')[1], role: 'doctor', label: 'Ward 7', revoked: '' }),
    ]);

    const revoked = await runClinote(['keys', 'revoke', id!], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id} (doctor, Ward 7)\n` });
    expect(await withFolder((db) => verifyApiKey(db, token))).toBeUndefined();
    const after = parseTable((await runClinote(['keys', 'list'], env)).stdout);
    expect(after).toHaveLength(1);
    expect(new Date(after[0]!.revoked!).getTime()).not.toBeNaN();
  });

  it('rejects bad input with a clear message and a non-zero exit', async () => {
    const countKeys = () => withFolder(async (db) => (await db.query('SELECT id FROM api_keys')).length);
    const keysBefore = await countKeys();
    const [badRole, noRole, unknownKey, badConfig] = await Promise.all([
      runClinote(['keys', 'create', '--role', 'superuser', '--label', 'x'], env),
      runClinote(['keys', 'create', '--label', 'x'], env),
      runClinote(['keys', 'revoke', '00000000-0000-4000-8000-000000000000'], env),
      runClinote(['migrate'], { ...env, DATABASE_URL: 'mysql://db.example/clinote' }),
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("argument 'superuser' is invalid. Allowed choices are admin, doctor, coder, clinician, radiologist.");
    expect(badRole.stdout).toBe('');
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain("required option '--role <role>' not specified");
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toBe('clinote: No API key with id or prefix "00000000-0000-4000-8000-000000000000".\n');
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
    // None of them created a key.
    expect(await countKeys()).toBe(keysBefore);
  });
});
