import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env.ts';

/**
 * `Cache-Control: no-store` on every API response (patient data, and errors that quote it), so no browser or proxy
 * keeps a copy. A route that chose its own directive (`private, no-store` on files) keeps it.
 */
export const noStore = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });
