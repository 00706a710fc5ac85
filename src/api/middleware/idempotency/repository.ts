import type { Queryable } from '../../../db/database.ts';

export interface IdempotencyRecord {
  requestSha256: string;
  /** Null while the first request is still running. */
  status: number | null;
  responseBody: string | null;
  responseType: string | null;
  location: string | null;
  startedAt: Date;
}

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string | null;
  location: string | null;
}

const columns = `request_sha256 AS "requestSha256", status, response_body AS "responseBody", response_type AS "responseType",
  location, started_at AS "startedAt"`;

/**
 * Claims the key for a request: true when this call inserted it (or took over an expired record, or one left
 * running longer than `staleAfterMs` by a process that died); false when another record holds it.
 */
export async function claimIdempotencyKey(
  db: Queryable,
  claim: { apiKeyId: string; key: string; requestSha256: string; ttlMs: number; staleAfterMs: number },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_sha256, expires_at)
     VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
       SET request_sha256 = EXCLUDED.request_sha256, status = NULL, response_body = NULL, response_type = NULL, location = NULL,
           started_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at < now()
          OR (idempotency_keys.status IS NULL AND idempotency_keys.request_sha256 = EXCLUDED.request_sha256
              AND idempotency_keys.started_at < now() - $5 * interval '1 millisecond')
     RETURNING 1 AS claimed`,
    [claim.apiKeyId, claim.key, claim.requestSha256, claim.ttlMs, claim.staleAfterMs],
  );
  return rows.length > 0;
}

export async function findIdempotencyRecord(db: Queryable, apiKeyId: string, key: string): Promise<IdempotencyRecord | undefined> {
  return (await db.query<IdempotencyRecord>(`SELECT ${columns} FROM idempotency_keys WHERE api_key_id = $1 AND idempotency_key = $2`, [apiKeyId, key]))[0];
}

/** Stores the first answer (a 2xx) for replay. */
export async function storeIdempotentResponse(db: Queryable, apiKeyId: string, key: string, response: StoredResponse): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET status = $3, response_body = $4, response_type = $5, location = $6
     WHERE api_key_id = $1 AND idempotency_key = $2`,
    [apiKeyId, key, response.status, response.body, response.contentType, response.location],
  );
}

/** Lets the key go (the request created nothing, so a retry may run it again). */
export async function releaseIdempotencyKey(db: Queryable, apiKeyId: string, key: string): Promise<void> {
  await db.query(`DELETE FROM idempotency_keys WHERE api_key_id = $1 AND idempotency_key = $2 AND status IS NULL`, [apiKeyId, key]);
}

/** Deletes expired records; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Queryable): Promise<number> {
  return (await db.query(`DELETE FROM idempotency_keys WHERE expires_at < now() RETURNING 1`)).length;
}
