import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ROLES } from '../../access/types.ts';
import type { AppEnv } from '../env.ts';
import { protectedRoute } from '../route.ts';

/** Who the key belongs to: the web UI signs in with it and shows the pages for its role. */
export const meRoutes = new OpenAPIHono<AppEnv>().openapi(
  protectedRoute({
    method: 'get',
    path: '/v1/me',
    tags: ['Session'],
    summary: "The calling key's id, label and role",
    roles: ROLES,
    patientData: false,
    responses: {
      200: { description: 'The principal', content: { 'application/json': { schema: z.object({ keyId: z.uuid(), label: z.string(), role: z.enum(ROLES) }).openapi('Principal') } } },
    },
  }),
  (c) => c.json(c.var.principal!, 200),
);
