import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { ApiKey, Role } from './types.ts';

// Transitional: src/api/routes/coding.ts still imports ROLES from here; once it imports src/access/types.ts, delete this.
export { ROLES } from './types.ts';

const columns = `id, prefix, role, label, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

// Keys look like `cln_<prefix>_<secret>`: the prefix finds the row, the secret is only ever stored hashed.
// The secret has 256 bits of entropy, so a plain SHA-256 is enough (no password-style stretching needed).
const KEY_PATTERN = /^cln_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** The (non-secret) prefix of something shaped like a key, for throttling and audit; undefined when it is not. */
export const apiKeyPrefix = (token: string): string | undefined => /^cln_([a-z0-9]{12})_/.exec(token)?.[1];

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Creates a key and returns it with its one-time plaintext token. */
export async function createApiKey(db: Queryable, role: Role, label: string): Promise<{ key: ApiKey; token: string }> {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const rows = await db.query<ApiKey>(
    `INSERT INTO api_keys (id, prefix, secret_hash, role, label) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
    [randomUUID(), prefix, hashSecret(secret), role, label],
  );
  return { key: rows[0]!, token: `cln_${prefix}_${secret}` };
}

/** Resolves a bearer token to an active key, or undefined (unknown, malformed or revoked). */
export async function verifyApiKey(db: Queryable, token: string): Promise<ApiKey | undefined> {
  const match = KEY_PATTERN.exec(token);
  if (!match) return undefined;
  const rows = await db.query<ApiKey & { secretHash: string }>(
    `SELECT ${columns}, secret_hash AS "secretHash" FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
    [match[1]],
  );
  const row = rows[0];
  if (!row) return undefined;
  const given = Buffer.from(hashSecret(match[2]!), 'hex');
  const stored = Buffer.from(row.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
  const { secretHash: _hidden, ...key } = row;
  return key;
}

export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [id]);
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return db.query<ApiKey>(`SELECT ${columns} FROM api_keys ORDER BY created_at, id`);
}

/** Notified (payload: the key's id) when a key is revoked, so every process drops it from its cache at once. */
export const API_KEY_REVOKED_CHANNEL = 'clinote_api_key_revoked';

/** Revokes by id or prefix and announces it on API_KEY_REVOKED_CHANNEL; returns the revoked key, or undefined when none matched. */
export async function revokeApiKey(db: Queryable, idOrPrefix: string): Promise<ApiKey | undefined> {
  const rows = await db.query<ApiKey>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
     WHERE id::text = $1 OR prefix = $1 RETURNING ${columns}`,
    [idOrPrefix],
  );
  if (rows[0]) await db.query('SELECT pg_notify($1, $2)', [API_KEY_REVOKED_CHANNEL, rows[0].id]);
  return rows[0];
}

export async function countActiveAdminKeys(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`);
  return rows[0]?.n ?? 0;
}
