import { OpenAPIHono, z } from '@hono/zod-openapi';
import { createKey, listKeys, revokeKey } from '../../access/api-keys-service.ts';
import { listAuditTrail } from '../../access/audit-service.ts';
import { ROLES, type ApiKey } from '../../access/types.ts';
import type { AppEnv } from '../env.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IsoDateTime, PageQuery, pageOf } from '../schemas.ts';

const ApiKeySchema = z
  .object({
    id: z.uuid(),
    prefix: z.string(),
    role: z.enum(ROLES),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const keyJson = (k: ApiKey) => ({
  ...k,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorKeyId: z.string().nullable(),
    actorLabel: z.string(),
    actorRole: z.string(),
    action: z.string(),
    patientId: z.string().nullable(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEvent');

/** Key management and the audit trail: administrators only. */
export function adminRoutes(onRevoke: () => void) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      protectedRoute({
        method: 'get',
        path: '/v1/audit',
        tags: ['Admin'],
        summary: 'Audit trail, newest first (filter by patient, actor, action, time)',
        roles: ['admin'],
        patientData: false,
        request: {
          query: PageQuery.extend({
            patientId: z.uuid().optional(),
            actorKeyId: z.uuid().optional(),
            action: z.string().max(100).optional(),
            since: IsoDateTime.optional(),
            until: IsoDateTime.optional(),
          }),
        },
        responses: { 200: { description: 'Audit events', content: { 'application/json': { schema: pageOf(AuditEventSchema, 'AuditPage') } } } },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const page = await listAuditTrail(
          c.var.runtime.db,
          {
            patientId: q.patientId,
            actorKeyId: q.actorKeyId,
            action: q.action,
            since: q.since ? new Date(q.since) : undefined,
            until: q.until ? new Date(q.until) : undefined,
          },
          { limit: q.limit, cursor: q.cursor },
        );
        return c.json({ items: page.items.map((e) => ({ ...e, at: e.at.toISOString() })), nextCursor: page.nextCursor }, 200);
      },
    )
    .openapi(
      protectedRoute({
        method: 'get',
        path: '/v1/keys',
        tags: ['Admin'],
        summary: 'List API keys (secrets are never shown again)',
        roles: ['admin'],
        patientData: false,
        responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ items: z.array(ApiKeySchema) }) } } } },
      }),
      async (c) => c.json({ items: (await listKeys(c.var.runtime.db)).map(keyJson) }, 200),
    )
    .openapi(
      protectedRoute({
        method: 'post',
        path: '/v1/keys',
        tags: ['Admin'],
        summary: 'Create an API key; the token is returned once',
        roles: ['admin'],
        patientData: false,
        request: {
          body: {
            required: true,
            content: { 'application/json': { schema: z.object({ role: z.enum(ROLES), label: z.string().trim().min(1).max(100) }) } },
          },
        },
        responses: {
          201: { description: 'Created', content: { 'application/json': { schema: ApiKeySchema.extend({ token: z.string() }) } } },
        },
      }),
      async (c) => {
        const { role, label } = c.req.valid('json');
        const { key, token } = await createKey(c.var.runtime.db, role, label);
        return c.json({ ...keyJson(key), token }, 201);
      },
    )
    .openapi(
      protectedRoute({
        method: 'delete',
        path: '/v1/keys/{id}',
        tags: ['Admin'],
        summary: 'Revoke an API key',
        roles: ['admin'],
        patientData: false,
        request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
        responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: ApiKeySchema } } }, ...problemResponses(404) },
      }),
      async (c) => {
        const key = await revokeKey(c.var.runtime.db, c.req.valid('param').id);
        if (!key) throw new ProblemError('not-found', 'No API key with this id.');
        onRevoke();
        return c.json(keyJson(key), 200);
      },
    );
}
