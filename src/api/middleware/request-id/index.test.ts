import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env.ts';
import { requestId } from './index.ts';

const app = new Hono<AppEnv>().use(requestId()).get('/', (c) => c.text(c.var.requestId));

describe('requestId middleware', () => {
  it('generates an id and returns it in the header and context', async () => {
    const res = await app.request('/');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe(id);
  });

  it('keeps an acceptable caller id and replaces an unsafe one', async () => {
    expect((await app.request('/', { headers: { 'X-Request-Id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const unsafe = await app.request('/', { headers: { 'X-Request-Id': '<script>' + 'x'.repeat(200) } });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
    const long = await app.request('/', { headers: { 'X-Request-Id': 'a'.repeat(129) } });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the id on answers the handler builds itself and on error answers', async () => {
    const errors = new Hono<AppEnv>()
      .use(requestId())
      .get('/raw', () => new Response('raw'))
      .get('/fail', () => {
        throw new Error('boom');
      })
      .onError((_error, c) => c.json({ status: 500 }, 500));
    for (const path of ['/raw', '/fail']) {
      const res = await errors.request(path, { headers: { 'X-Request-Id': `id-${path.slice(1)}` } });
      expect(res.headers.get('x-request-id'), path).toBe(`id-${path.slice(1)}`);
    }
  });
});
