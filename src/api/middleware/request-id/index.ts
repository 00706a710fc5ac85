import { createMiddleware } from 'hono/factory';
import { requestId as honoRequestId } from 'hono/request-id';
import type { AppEnv } from '../../env.ts';

const assignRequestId = honoRequestId({ limitLength: 128 });

/**
 * Hono's request-id middleware: the caller's `X-Request-Id` when it is at most 128 word characters, `-` or `=`
 * (short and plain, so safe to log and reflect), else a random UUID; on the context and the response. The header
 * is set again after the handler because Hono's sets it only before, which a handler's own `new Response` drops.
 */
export const requestId = () =>
  createMiddleware<AppEnv>((c, next) =>
    assignRequestId(c, async () => {
      await next();
      c.header('X-Request-Id', c.var.requestId);
    }),
  );
