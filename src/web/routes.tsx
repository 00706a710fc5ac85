import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../api/env.ts';
import { AdminPage, ChartPage, CodingReviewPage, CodingWorklistPage, HomePage, ImagingPage, NotePage, SignInPage } from './pages.tsx';

const clientDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');
const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The client files, read once: a fixed set, so no request path ever reaches the file system. */
const assets = new Map(
  readdirSync(clientDir)
    .filter((file) => contentTypes[path.extname(file)])
    .map((file) => [file, { type: contentTypes[path.extname(file)]!, body: readFileSync(path.join(clientDir, file)) }]),
);

/**
 * Scripts and styles only from this origin (no inline code, no CDN); images may be blob: URLs because image
 * bytes are fetched with the bearer key and shown from memory.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The web UI: `/` redirects to `/app/`, pages under `/app/…`, client files under `/app/assets/`. */
export const webRoutes = new Hono<AppEnv>()
  .use('/app/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  })
  .use('/app/assets/*', etag())
  .get('/', (c) => c.redirect('/app/'))
  .get('/app', (c) => c.redirect('/app/'))
  .get('/app/', (c) => c.html(<HomePage />))
  .get('/app/signin', (c) => c.html(<SignInPage />))
  .get('/app/note', (c) => c.html(<NotePage />))
  .get('/app/coding', (c) => c.html(<CodingWorklistPage />))
  .get(`/app/coding/:noteId{${UUID}}`, (c) => c.html(<CodingReviewPage noteId={c.req.param('noteId').toLowerCase()} />))
  .get(`/app/coding/encounters/:encounterId{${UUID}}`, (c) => c.html(<CodingReviewPage encounterId={c.req.param('encounterId').toLowerCase()} />))
  .get('/app/chart', (c) => c.html(<ChartPage />))
  .get(`/app/chart/:patientId{${UUID}}`, (c) => c.html(<ChartPage patientId={c.req.param('patientId').toLowerCase()} />))
  .get('/app/imaging', (c) => c.html(<ImagingPage />))
  .get('/app/admin', (c) => c.html(<AdminPage />))
  .get('/favicon.ico', (c) => c.redirect('/app/assets/favicon.svg', 301))
  .get('/app/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.notFound();
    // Revalidated on every load so an upgraded server never runs with stale scripts.
    return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });
