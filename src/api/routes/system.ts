import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { preloadState, preloadStates } from '../../preload.ts';
import type { AppEnv } from '../env.ts';
import { problemTypes, type ProblemSlug } from '../problem.ts';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerAssets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

// Served from this origin (no CDN) so the docs work on a hospital network without internet.
const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clinote API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;
const docsInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, persistAuthorization: true });`;

const Health = z.object({ status: z.literal('ok') }).openapi('Health');
const Ready = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    database: z.boolean(),
    queue: z.boolean(),
    storage: z.string(),
    queueDriver: z.string(),
    models: z
      .enum(preloadStates)
      .describe('Background model preload after start (CLINOTE_PRELOAD_MODELS). Informational: models also load on first use, so it does not decide readiness.'),
  })
  .openapi('Ready');

export const systemRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({ method: 'get', path: '/health', tags: ['System'], summary: 'Liveness', responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } } }),
    (c) => c.json({ status: 'ok' as const }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['System'],
      summary: 'Readiness: database and job queue reachable',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
        503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } },
      },
    }),
    async (c) => {
      const { db, queue, config } = c.var.runtime;
      const [database, queueOk] = await Promise.all([db.ping(), queue.ping()]);
      const ok = database && queueOk;
      const body = {
        status: ok ? ('ready' as const) : ('unavailable' as const),
        database,
        queue: queueOk,
        storage: config.storage,
        queueDriver: queue.driver,
        models: preloadState(),
      };
      return ok ? c.json(body, 200) : c.json(body, 503);
    },
  )
  .get('/metrics', async (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(await c.var.runtime.metrics.registry.render());
  })
  .get('/docs', (c) => c.html(docsPage))
  .get('/docs/assets/init.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(docsInit);
  })
  .get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = swaggerAssets[file];
    if (!type) return c.notFound();
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(await readFile(path.join(swaggerDir, file)));
  })
  .get('/problems/:slug', (c) => {
    const slug = c.req.param('slug') as ProblemSlug;
    const problem = problemTypes[slug];
    if (!problem) return c.notFound();
    return c.json({ type: `/problems/${slug}`, status: problem.status, title: problem.title, description: problem.description });
  });
