import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

/**
 * RFC 9457 problem details. Every error the API returns is one of these types; the `type` URI is
 * stable (clients switch on it) and resolves to a short description at `/problems/{slug}`.
 * The first type listed with a status is its general one: `problemResponses` names the status by its title.
 */
export const problemTypes = {
  'bad-request': { status: 400, title: 'Bad request', description: 'The request could not be understood (malformed JSON, bad encoding or bad cursor).' },
  validation: { status: 400, title: 'Validation failed', description: 'A parameter or body field is missing or invalid; `errors` lists each one.' },
  unauthenticated: { status: 401, title: 'Authentication required', description: 'Send `Authorization: Bearer <api key>` with an active key.' },
  forbidden: { status: 403, title: 'Forbidden', description: "The key's role may not use this route." },
  'not-found': { status: 404, title: 'Not found', description: 'The resource does not exist (or the route is unknown).' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', description: 'The route exists but not for this HTTP method.' },
  conflict: { status: 409, title: 'Conflict', description: 'The request conflicts with stored data, for example a duplicate MRN.' },
  'idempotency-key-in-use': {
    status: 409,
    title: 'Idempotency key in use',
    description: 'The first request with this Idempotency-Key is still running; retry after the `Retry-After` seconds to get its answer.',
  },
  'patient-mismatch': { status: 409, title: 'Patient mismatch', description: 'The body names a different patient from the one in the path (a note written for one patient sent to another); nothing was saved.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The body is larger than the configured limit.' },
  'image-too-large': {
    status: 413,
    title: 'Image too large',
    description: 'The image file, its pixel dimensions or its decompressed content exceed the configured limits (CLINOTE_IMAGE_LIMIT, CLINOTE_IMAGE_MAX_PIXELS, CLINOTE_IMAGE_MAX_DECODED).',
  },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'The body is not in a format this route accepts.' },
  unprocessable: { status: 422, title: 'Unprocessable content', description: 'The body is well-formed but its content cannot be used (e.g. a corrupt image).' },
  'idempotency-key-reuse': {
    status: 422,
    title: 'Idempotency key reused',
    description: 'This Idempotency-Key was already used (within 24 hours, by this API key) for a request with another path or body; nothing was done. Use a new key for a new request.',
  },
  'too-many-requests': { status: 429, title: 'Too many requests', description: 'Too many failed authentications from this key prefix or address; retry after the `Retry-After` seconds.' },
  'header-fields-too-large': { status: 431, title: 'Request header fields too large', description: 'The request headers are larger than the server accepts.' },
  unavailable: { status: 503, title: 'Service unavailable', description: 'A dependency (database, queue, model) is not reachable; retry later.' },
  busy: {
    status: 503,
    title: 'Too busy',
    description: 'More background jobs are waiting than the service accepts (CLINOTE_MAX_PENDING_JOBS); nothing was saved. Retry after the `Retry-After` seconds.',
  },
  internal: { status: 500, title: 'Internal error', description: 'An unexpected error; the request id identifies it in the logs.' },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemSlug = keyof typeof problemTypes;

export const problemTypeUri = (slug: ProblemSlug) => `/problems/${slug}`;

/** A field-level validation error. */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

/** Thrown anywhere in a request; the error handler turns it into problem+json. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly slug: ProblemSlug,
    detail?: string,
    readonly errors?: FieldError[],
    /** Response headers the problem needs, e.g. `Retry-After` on a 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? problemTypes[slug].title);
  }

  get status(): ContentfulStatusCode {
    return problemTypes[this.slug].status as ContentfulStatusCode;
  }

  toDetails(instance: string, requestId: string | undefined): ProblemDetails {
    return {
      type: problemTypeUri(this.slug),
      title: problemTypes[this.slug].title,
      status: this.status,
      detail: this.message,
      instance,
      ...(requestId ? { requestId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** OpenAPI response entries for the problems a route can return. */
export function problemResponses(...statuses: number[]) {
  const byStatus: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {};
  for (const status of statuses) {
    const entry = Object.values(problemTypes).find((p) => p.status === status);
    byStatus[status] = { description: entry?.title ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  return byStatus;
}
