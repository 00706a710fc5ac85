import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  claimIdempotencyKey,
  findIdempotencyRecord,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  storeIdempotentResponse,
} from './repository.ts';
import type { AppEnv } from '../../env.ts';
import { problemResponse } from '../../errors.ts';
import { ProblemError } from '../../problem.ts';

export interface IdempotencyOptions {
  /**
   * How long a key and its first answer are kept, in ms.
   * @default 86400000 (24 h)
   */
  ttlMs?: number;
  /**
   * A first request still unanswered after this long belongs to a process that died: a retry runs it again
   * (safe: the note's id comes from the key and body, so a second run finds the first note).
   * @default 10000
   */
  staleAfterMs?: number;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header as a documented request parameter (OpenAPI) of the routes that honour it. */
export const IdempotencyKeyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(KEY_PATTERN, '1 to 255 visible ASCII characters')
    .optional()
    .openapi({
      description:
        'A client-chosen unique value (e.g. a UUID). A retry with the same key and the same body within 24 hours gets the first answer again ' +
        '(header `Idempotent-Replayed: true`) and creates nothing; another body under the same key is refused (422 `/problems/idempotency-key-reuse`); ' +
        'a retry while the first is still running gets 409 `/problems/idempotency-key-in-use` with `Retry-After`.',
      example: '6f1c2a9e-3b7d-4a57-9c1e-2d8f0b4e5a61',
    }),
});

const resourceIds = new WeakMap<Request, string>();

/**
 * The id the request's new resource must have: derived from the API key, the Idempotency-Key and the request's
 * hash, so every run of the same request names the same resource and a repository insert can keep the first.
 * Undefined without the header.
 */
export function idempotentResourceId(c: Context<AppEnv>): string | undefined {
  return resourceIds.get(c.req.raw);
}

/** A UUID (RFC 9562 version 8: name-based, own hash) from a SHA-256 digest. */
function uuidFromDigest(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const refuse = (c: Context<AppEnv>, problem: ProblemError, headers: Record<string, string> = {}) => {
  const response = problemResponse(problem, c);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * `Idempotency-Key` on a creating route (Stripe's and the IETF draft's semantics): per API key and key value,
 * the first 2xx answer is stored and replayed to every retry with the same request for 24 hours. A request
 * that fails (4xx, 5xx, 503 busy) created nothing, so its key is released and a retry runs again.
 * Without the header the route behaves as before. Mount after authentication.
 */
export function idempotency(options: IdempotencyOptions = {}) {
  const ttlMs = options.ttlMs ?? 24 * 3600_000;
  const staleAfterMs = options.staleAfterMs ?? 10_000;
  let lastPurge = 0;
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    const principal = c.var.principal;
    // Anonymous calls are refused by the route's role check; nothing to remember for them.
    if (key === undefined || !principal) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ProblemError('validation', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', [{ path: 'header.idempotency-key', message: '1 to 255 visible ASCII characters' }]);
    }
    const { db } = c.var.runtime;
    const body = Buffer.from(await c.req.arrayBuffer());
    const requestSha256 = createHash('sha256').update(`${c.req.method}\n${c.req.path}\n`).update(body).digest('hex');
    const claim = { apiKeyId: principal.keyId, key, requestSha256, ttlMs, staleAfterMs };

    if (!(await claimIdempotencyKey(db, claim))) {
      const record = await findIdempotencyRecord(db, principal.keyId, key);
      // Released between the two statements (the first request failed): this one may run.
      if (!record && (await claimIdempotencyKey(db, claim))) return run();
      if (!record || record.requestSha256 !== requestSha256) {
        return refuse(c, new ProblemError('idempotency-key-reuse', 'This Idempotency-Key was already used for a different request; use a new key for a new request.'));
      }
      if (record.status === null) {
        return refuse(c, new ProblemError('idempotency-key-in-use', 'The first request with this Idempotency-Key is still running; retry shortly to get its answer.'), { 'Retry-After': '1' });
      }
      const headers: Record<string, string> = { 'Idempotent-Replayed': 'true' };
      if (record.responseType) headers['Content-Type'] = record.responseType;
      if (record.location) headers.Location = record.location;
      return new Response(record.responseBody, { status: record.status, headers });
    }
    return run();

    async function run() {
      resourceIds.set(c.req.raw, uuidFromDigest(createHash('sha256').update(`${principal!.keyId}\n${key}\n${requestSha256}`).digest()));
      try {
        await next();
      } finally {
        const res = c.res;
        if (res.status >= 200 && res.status < 300) {
          await storeIdempotentResponse(db, principal!.keyId, key!, {
            status: res.status,
            body: await res.clone().text(),
            contentType: res.headers.get('content-type'),
            location: res.headers.get('location'),
          });
        } else {
          await releaseIdempotencyKey(db, principal!.keyId, key!);
        }
      }
      if (Date.now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = Date.now();
        await purgeExpiredIdempotencyKeys(db);
      }
    }
  });
}
