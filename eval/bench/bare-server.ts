// A bare Hono handler on @hono/node-server returning a note-sized JSON body: the baseline the API is compared with.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const body = JSON.parse(process.env.BARE_BODY ?? '{}') as unknown;
const app = new Hono().get('/v1/notes/:id', (c) => c.json(body));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0) }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
