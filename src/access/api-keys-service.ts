/**
 * API keys: create, list and revoke them (HTTP admin routes and `clinote keys` alike), and authenticate a bearer
 * token with a short-lived cache that every revocation, in any process sharing the database, empties at once.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import {
  API_KEY_REVOKED_CHANNEL,
  countActiveAdminKeys,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  verifyApiKey,
} from './api-keys-repository.ts';
import type { ApiKey, Principal, Role } from './types.ts';

export { apiKeyPrefix } from './api-keys-repository.ts';

/** Creates a key and returns it with its one-time plaintext token. */
export const createKey = (db: Queryable, role: Role, label: string): Promise<{ key: ApiKey; token: string }> => createApiKey(db, role, label);

/** Every key, revoked ones included, oldest first (never their secrets). */
export const listKeys = (db: Queryable): Promise<ApiKey[]> => listApiKeys(db);

/** Revokes by id or prefix and announces it to every listening process; undefined when no key matched. */
export const revokeKey = (db: Queryable, idOrPrefix: string): Promise<ApiKey | undefined> => revokeApiKey(db, idOrPrefix);

/** First run: with no active admin key, creates one and returns its token (shown once); undefined when one exists. */
export async function createFirstAdminKey(db: Queryable): Promise<string | undefined> {
  if ((await countActiveAdminKeys(db)) > 0) return undefined;
  return (await createApiKey(db, 'admin', 'bootstrap admin')).token;
}

const principalOf = (key: ApiKey): Principal => ({ keyId: key.id, label: key.label, role: key.role });

/**
 * Resolves bearer tokens to principals. A verified key is trusted for `cacheMs` before it is checked against the
 * database again; a revocation is announced on the database (`listenForRevocations`), so every process listening
 * drops its cached keys at once, and `cacheMs` bounds how long one takes to apply if the announcement is missed (a
 * listening connection being re-established). A key's last use is written at most once a minute.
 */
export class ApiKeyAuthenticator {
  /** Keyed by the token's digest, never the token. */
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly cacheMs = 1500) {}

  /** The token's principal, or undefined when the key is unknown, malformed or revoked. */
  async authenticate(db: Queryable, token: string): Promise<Principal | undefined> {
    const tokenDigest = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const cached = this.cache.get(tokenDigest);
    let principal = cached && cached.until > now ? cached.principal : undefined;
    if (!principal) {
      const key = await verifyApiKey(db, token);
      if (!key) {
        this.cache.delete(tokenDigest);
        return undefined;
      }
      principal = principalOf(key);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(tokenDigest, { principal, until: now + this.cacheMs });
    }
    if ((this.touched.get(principal.keyId) ?? 0) < now - 60_000) {
      this.touched.set(principal.keyId, now);
      await touchApiKey(db, principal.keyId);
    }
    return principal;
  }

  /** Forget cached keys (after a revocation). */
  forget(): void {
    this.cache.clear();
  }

  /** Forget cached keys whenever any process sharing the database revokes one; resolves once listening, to the stop function. */
  listenForRevocations(db: Database): Promise<() => Promise<void>> {
    return db.listen(API_KEY_REVOKED_CHANNEL, () => this.forget());
  }
}
