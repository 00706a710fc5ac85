import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { errorSummary } from '../logging/logger.ts';
import { InvalidCursorError } from '../db/page.ts';
import type { AppEnv } from './env.ts';
import { ProblemError, type ProblemSlug } from './problem.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Domain modules throw their own named errors; this table says which problem type each becomes.
 * Capabilities register theirs at start-up, so domain code stays free of HTTP.
 */
const domainErrors: Array<[ErrorClass, ProblemSlug]> = [[InvalidCursorError, 'bad-request']];

export function registerDomainError(errorClass: ErrorClass, slug: ProblemSlug): void {
  domainErrors.push([errorClass, slug]);
}

const statusToSlug: Record<number, ProblemSlug> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
  431: 'header-fields-too-large',
  503: 'unavailable',
};

// PostgreSQL codes caused by the request's values rather than by the server (bad text for a type, too long, out of range).
const clientDataErrorCodes = new Set(['22P02', '22007', '22008', '22001', '22003', '22021', '54000']);

/** Maps any thrown error to a ProblemError; unknown errors become a logged 500 that reveals nothing. */
export function toProblem(error: unknown, c: Context<AppEnv>): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof HTTPException) {
    return new ProblemError(statusToSlug[error.status] ?? (error.status >= 500 ? 'internal' : 'bad-request'), error.message || undefined);
  }
  for (const [errorClass, slug] of domainErrors) {
    if (error instanceof errorClass) return new ProblemError(slug, (error as Error).message);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && clientDataErrorCodes.has(code)) {
    return new ProblemError('bad-request', 'A value in the request is not valid for its field.');
  }
  if (error instanceof Error && error.name === 'DatabaseUnavailableError') return new ProblemError('unavailable', 'The database is not reachable.');
  // Class, code and frames only: the message may quote the request's values (a query, a name).
  c.var.runtime?.logger.error({ requestId: c.var.requestId, route: routePath(c, -1) || 'unmatched', err: errorSummary(error) }, 'unhandled error');
  return new ProblemError('internal', 'An unexpected error occurred; quote the request id when reporting it.');
}

export function problemResponse(problem: ProblemError, c: Context<AppEnv>): Response {
  return new Response(JSON.stringify(problem.toDetails(c.req.path, c.var.requestId)), {
    status: problem.status,
    headers: { ...problem.headers, 'Content-Type': 'application/problem+json', ...(c.var.requestId ? { 'X-Request-Id': c.var.requestId } : {}) },
  });
}
