import { OpenAPIHono, z } from '@hono/zod-openapi';
import { findJob } from '../../queue/jobs-repository.ts';
import { ROLES } from '../../access/types.ts';
import type { AppEnv } from '../env.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';

const JobSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['queued', 'active', 'completed', 'failed']),
    resourceType: z.string().nullable(),
    resourceId: z.string().nullable(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

export const jobRoutes = new OpenAPIHono<AppEnv>().openapi(
  protectedRoute({
    method: 'get',
    path: '/v1/jobs/{id}',
    tags: ['Jobs'],
    summary: 'Status of a background job: ids, states and the last error message',
    // The clinical roles whose submits start jobs; admin (IT: keys and audit) sees nothing of the charts' work.
    roles: ROLES.filter((role) => role !== 'admin'),
    patientData: false,
    request: { params: z.object({ id: z.string().min(1).max(300).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: { description: 'The job', content: { 'application/json': { schema: JobSchema } } }, ...problemResponses(404) },
  }),
  async (c) => {
    const job = await findJob(c.var.runtime.db, c.req.valid('param').id);
    if (!job) throw new ProblemError('not-found', 'No job with this id.');
    return c.json(
      {
        id: job.id,
        name: job.name,
        status: job.status,
        resourceType: job.resourceType,
        resourceId: job.resourceId,
        attempts: job.attempts,
        error: job.error,
        createdAt: job.createdAt.toISOString(),
        updatedAt: job.updatedAt.toISOString(),
        finishedAt: job.finishedAt?.toISOString() ?? null,
      },
      200,
    );
  },
);
