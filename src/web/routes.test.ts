import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { webRoutes } from './routes.tsx';

const clientDir = path.join(import.meta.dirname, 'client');
const pages = ['/app/', '/app/signin', '/app/note', '/app/coding', '/app/coding/0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10', '/app/chart', '/app/chart/0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10', '/app/imaging', '/app/admin'];

describe('web UI routes', () => {
  it('answers /favicon.ico with the icon', async () => {
    const res = await webRoutes.request('/favicon.ico');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/app/assets/favicon.svg');
  });

  it('redirects / to the app', async () => {
    const res = await webRoutes.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app/');
  });

  it.each(pages)('serves %s as HTML with a strict CSP and no inline script or style', async (page) => {
    const res = await webRoutes.request(page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toMatch(/<script type="module" src="\/app\/assets\/[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('puts the id of the page into the page only when it is a UUID', async () => {
    const html = await (await webRoutes.request('/app/coding/0B5E7C1E-3F3C-4A53-9A44-8D1C1B2F9A10')).text();
    expect(html).toContain('data-note-id="0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10"');
    expect((await webRoutes.request('/app/coding/%3Cscript%3E')).status).toBe(404);
    expect((await webRoutes.request('/app/chart/123')).status).toBe(404);
  });

  it('serves every client file a page or module refers to, and nothing else', async () => {
    const referenced = new Set<string>();
    for (const page of pages) {
      for (const m of (await (await webRoutes.request(page)).text()).matchAll(/\/app\/assets\/([\w.-]+)/g)) referenced.add(m[1]!);
    }
    for (const file of readdirSync(clientDir).filter((f) => f.endsWith('.js'))) {
      for (const m of readFileSync(path.join(clientDir, file), 'utf8').matchAll(/from '\.\/([\w.-]+)'/g)) referenced.add(m[1]!);
    }
    for (const file of referenced) {
      const res = await webRoutes.request(`/app/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(file.endsWith('.css') ? /^text\/css/ : file.endsWith('.svg') ? /^image\/svg\+xml/ : /^text\/javascript/);
      expect(res.headers.get('etag'), file).toBeTruthy();
    }
    for (const other of ['tsconfig.json', '..%2Froutes.tsx', 'missing.js']) expect((await webRoutes.request(`/app/assets/${other}`)).status, other).toBe(404);
  });

  it('never builds markup from strings in the client', () => {
    for (const file of readdirSync(clientDir).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(path.join(clientDir, file), 'utf8');
      expect(source, file).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
      // The API key lives in sessionStorage only; localStorage holds nothing but unsubmitted note drafts (drafts.js).
      if (file !== 'drafts.js') expect(source, file).not.toMatch(/localStorage\s*\./);
    }
  });
});
