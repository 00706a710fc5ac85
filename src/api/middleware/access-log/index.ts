import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../../env.ts';

/**
 * One JSON log line and one metrics sample per request. Logs the route template
 * (`/v1/notes/:id`), never the raw URL, so query strings with names or search terms stay out.
 */
export const accessLog = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c, -1) || 'unmatched';
    const { metrics, logger } = c.var.runtime;
    const status = String(c.res.status);
    metrics.httpRequests.inc({ method: c.req.method, route, status });
    metrics.httpDuration.observe({ route }, seconds);
    logger.info(
      { requestId: c.var.requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10, role: c.var.principal?.role },
      'request',
    );
  });
