import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env.ts';

// A caller's id is echoed only if it is short and plain, so it is safe to log and reflect.
const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/** Gives every request an id (the caller's `X-Request-Id` when acceptable) and returns it on the response. */
export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
    c.header('X-Request-Id', id);
  });
