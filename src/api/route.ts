import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import type { Role } from '../access/types.ts';
import { requireRole } from './middleware/auth/index.ts';
import { problemResponses } from './problem.ts';

type ProtectedRouteConfig = Omit<RouteConfig, 'middleware' | 'security'> & {
  /** Roles allowed to call the route. */
  roles: readonly Role[];
  /** The route reads or writes patient data: every call is audited. */
  patientData: boolean;
  /** Middleware run after the role check and before validation (e.g. idempotency, backpressure on submits). */
  guards?: ReadonlyArray<MiddlewareHandler<AppEnv>>;
};

/**
 * A route behind authentication: adds the role check, the bearer security requirement and
 * `x-clinote-roles` / `x-clinote-patient-data` to the OpenAPI document (the auth tests read them
 * from there, so every new route is covered automatically) and the standard error responses.
 */
export function protectedRoute<const C extends ProtectedRouteConfig>(config: C) {
  const { roles, patientData, responses, guards = [], ...rest } = config;
  return createRoute({
    ...rest,
    security: [{ bearerAuth: [] }],
    middleware: [requireRole(...roles), ...guards],
    'x-clinote-roles': [...roles],
    'x-clinote-patient-data': patientData,
    responses: { ...problemResponses(400, 401, 403), ...responses },
  } as unknown as Omit<C, 'roles' | 'patientData'> & { middleware: [ReturnType<typeof requireRole>] });
}
