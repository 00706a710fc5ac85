import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { rateLimiter } from 'hono-rate-limiter';
import type { Database } from '../../../db/database.ts';
import { ApiKeyAuthenticator, apiKeyPrefix } from '../../../access/api-keys-service.ts';
import type { Role } from '../../../access/types.ts';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../env.ts';
import { ProblemError } from '../../problem.ts';

/** Options for the authentication middleware. */
export interface AuthOptions {
  /**
   * How long a verified key is trusted before it is checked against the database again, in ms. A revocation is
   * announced on the database (`listenForRevocations`), so every process listening drops the key at once; this
   * bounds how long one takes to apply if the announcement is missed (a listening connection being re-established).
   * @default 1500
   */
  cacheMs?: number;
  /**
   * Failed authentications allowed per minute for one key prefix and for one client address; past either, failures
   * are answered 429 with Retry-After. Counted per process.
   * @default { perKeyPrefix: 10, perAddress: 30 }
   */
  failureLimits?: { perKeyPrefix: number; perAddress: number };
}

/** The socket's peer address (forwarding headers are not trusted: anyone can send them); in-process calls have none. */
const clientAddress = (c: Context<AppEnv>) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';

/** A limiter over failed authentications only: the auth middleware calls it when a key did not verify. */
function failureThrottle(limit: number, keyGenerator: (c: Context<AppEnv>) => string, property: string) {
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit,
    standardHeaders: false,
    requestPropertyName: property,
    keyGenerator,
    handler: (c) => {
      const info = (c.get as (key: string) => { resetTime?: Date } | undefined)(property);
      const seconds = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      throw new ProblemError('too-many-requests', `Too many failed authentications; retry after ${seconds} s.`, undefined, { 'Retry-After': String(seconds) });
    },
  });
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal. It does not reject anonymous requests: `requireRole` on
 * each protected route does, so public routes share the middleware. A key that does not verify is a 401, or a 429
 * once its key prefix or the client's address has failed too often within a minute.
 */
export function authenticate(options: AuthOptions = {}) {
  const keys = new ApiKeyAuthenticator(options.cacheMs ?? 1500);
  const limits = options.failureLimits ?? { perKeyPrefix: 10, perAddress: 30 };
  const perKeyPrefix = failureThrottle(limits.perKeyPrefix, (c) => `prefix:${apiKeyPrefix(bearerToken(c) ?? '') ?? '(malformed)'}`, 'authFailuresByKeyPrefix');
  const perAddress = failureThrottle(limits.perAddress, (c) => `address:${clientAddress(c)}`, 'authFailuresByAddress');
  const refuse = async (): Promise<never> => {
    throw new ProblemError('unauthenticated', 'The API key is unknown, malformed or revoked.');
  };

  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (token !== undefined) {
      const principal = await keys.authenticate(c.var.runtime.db, token);
      if (!principal) {
        // Counted against the key prefix, then the address: the first over its limit throws a 429, else a 401.
        await perKeyPrefix(c, () => perAddress(c, refuse) as Promise<void>);
        return refuse();
      }
      c.set('principal', principal);
    }
    await next();
  });
  /** Forget cached keys (after a revocation). */
  const forget = () => keys.forget();
  /** Forget cached keys whenever any process sharing the database revokes one; resolves once listening. */
  const listenForRevocations = (db: Database) => keys.listenForRevocations(db);
  return Object.assign(middleware, { forget, listenForRevocations });
}

/** The bearer token of the request, undefined when none was sent (a malformed Authorization header is an empty token). */
function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
}

/** Rejects the request unless an authenticated principal with one of `roles` is calling. */
export const requireRole = (...roles: readonly Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.var.principal;
    if (!principal) throw new ProblemError('unauthenticated', 'Send Authorization: Bearer <api key>.');
    if (!roles.includes(principal.role)) {
      throw new ProblemError('forbidden', `The ${principal.role} role may not use this route (allowed: ${roles.join(', ')}).`);
    }
    await next();
  });

/**
 * Records every refused request (401, 403, 429) as an audit event: who tried (the key, or anonymous with the key
 * prefix sent, never the secret), which route and method, and the answer. Placed before authentication so it sees
 * its refusals too.
 */
export const auditRefusals = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const status = c.res.status;
    if (status !== 401 && status !== 403 && status !== 429) return;
    const token = bearerToken(c);
    await audit(c, {
      action: 'auth.refused',
      patientId: null,
      resourceType: 'route',
      resourceId: null,
      detail: {
        status,
        method: c.req.method,
        route: routePath(c, -1) || 'unmatched',
        ...(token === undefined ? {} : { keyPrefix: apiKeyPrefix(token) ?? '(malformed)' }),
      },
    });
  });
