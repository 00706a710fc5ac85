import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { touchApiKey, verifyApiKey, type Role } from '../../../repositories/api-keys.ts';
import { principalOf, type AppEnv, type Principal } from '../../env.ts';
import { ProblemError } from '../../problem.ts';

/** Options for the authentication middleware. */
export interface AuthOptions {
  /**
   * How long a verified key is trusted before it is checked against the database again, in ms.
   * Revocation through this process's API takes effect at once; elsewhere within this time.
   * @default 30000
   */
  cacheMs?: number;
}

const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Resolves `Authorization: Bearer <key>` to a principal. It does not reject anonymous requests:
 * `requireRole` on each protected route does, so public routes share the middleware.
 */
export function authenticate(options: AuthOptions = {}) {
  const cacheMs = options.cacheMs ?? 30_000;
  const cache = new Map<string, { principal: Principal; until: number }>();
  const touched = new Map<string, number>();

  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match) {
      const digest = tokenDigest(match[1]!);
      const now = Date.now();
      const cached = cache.get(digest);
      let principal = cached && cached.until > now ? cached.principal : undefined;
      if (!principal) {
        const key = await verifyApiKey(c.var.runtime.db, match[1]!);
        if (key) {
          principal = principalOf(key);
          if (cache.size > 10_000) cache.clear();
          cache.set(digest, { principal, until: now + cacheMs });
        } else {
          cache.delete(digest);
        }
      }
      if (principal && (touched.get(principal.keyId) ?? 0) < now - 60_000) {
        touched.set(principal.keyId, now);
        await touchApiKey(c.var.runtime.db, principal.keyId);
      }
      if (!principal) throw new ProblemError('unauthenticated', 'The API key is unknown, malformed or revoked.');
      c.set('principal', principal);
    }
    await next();
  });
  /** Forget cached keys (after a revocation). */
  const forget = () => cache.clear();
  return Object.assign(middleware, { forget });
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
