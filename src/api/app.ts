import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Runtime } from '../runtime.ts';
import type { AppEnv } from './env.ts';
import { problemResponse, toProblem } from './errors.ts';
import { allowedMethods } from './method-not-allowed.ts';
import { accessLog } from './middleware/access-log/index.ts';
import { auditRefusals, authenticate } from './middleware/auth/index.ts';
import { noStore } from './middleware/no-store/index.ts';
import { requestId } from './middleware/request-id/index.ts';
import { requestText } from './middleware/request-text/index.ts';
import { ProblemError } from './problem.ts';
import { adminRoutes } from './routes/admin.ts';
import { imageRoutes } from './routes/images.ts';
import { imagingRoutes } from './routes/imaging.ts';
import { jobRoutes } from './routes/jobs.ts';
import { meRoutes } from './routes/me.ts';
import { noteRoutes } from './routes/notes.ts';
import { patientRoutes } from './routes/patients.ts';
import { codingRoutes } from './routes/coding.ts';
import { encounterRoutes } from './routes/encounters.ts';
import { historyRoutes } from './routes/history.ts';
import { structureRoutes } from './routes/structure.ts';
import { systemRoutes } from './routes/system.ts';
import { webRoutes } from '../web/routes.tsx';

/** Routes whose bodies are images or audio: they get CLINOTE_IMAGE_LIMIT instead of CLINOTE_BODY_LIMIT. */
const isUploadRoute = (path: string) => /\/(images|transcriptions)$/.test(path);

export function createApp(runtime: Runtime) {
  const { config } = runtime;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
        throw new ProblemError('validation', `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.path).join(', ')}`, errors);
      }
    },
  });
  const auth = authenticate({
    failureLimits: { perKeyPrefix: config.CLINOTE_AUTH_FAILURES_PER_KEY_PREFIX, perAddress: config.CLINOTE_AUTH_FAILURES_PER_ADDRESS },
  });
  auth.listenForRevocations(runtime.db).catch((error: unknown) =>
    runtime.logger.warn({ error: (error as Error).message }, 'not listening for key revocations; cached keys expire within 1.5 s instead'),
  );
  const tooLarge = (limit: number) => () => {
    throw new ProblemError('payload-too-large', `The body is larger than ${limit} bytes.`);
  };
  const jsonLimit = bodyLimit({ maxSize: config.CLINOTE_BODY_LIMIT, onError: tooLarge(config.CLINOTE_BODY_LIMIT) });
  const uploadLimit = bodyLimit({ maxSize: config.CLINOTE_IMAGE_LIMIT, onError: tooLarge(config.CLINOTE_IMAGE_LIMIT) });

  app.use(async (c, next) => {
    c.set('runtime', runtime);
    await next();
  });
  app.use(requestId());
  app.use(accessLog());
  app.use(secureHeaders({ crossOriginEmbedderPolicy: false }));
  app.use('/v1/*', noStore());
  app.use('/v1/*', cors({ origin: config.CORS_ORIGINS, allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'], exposeHeaders: ['X-Request-Id', 'Location', 'Link', 'Retry-After', 'Idempotent-Replayed'], maxAge: 600 }));
  app.use('/v1/*', (c, next) => (isUploadRoute(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)));
  app.use('/v1/*', requestText());
  app.use('/v1/*', auditRefusals());
  app.use('/v1/*', auth);

  app.route('/', systemRoutes);
  app.route('/', patientRoutes);
  app.route('/', noteRoutes);
  app.route('/', imageRoutes);
  app.route('/', imagingRoutes);
  app.route('/', jobRoutes);
  app.route('/', meRoutes);
  app.route('/', codingRoutes);
  app.route('/', encounterRoutes);
  app.route('/', historyRoutes);
  app.route('/', structureRoutes);
  app.route('/', adminRoutes(() => auth.forget()));
  app.route('/', webRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key created with `clinote keys create --role ROLE` or POST /v1/keys.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Clinote API',
      version: '1',
      description:
        'On-device clinical documentation: note structuring, ICD-10-CM code suggestions (suggestions need a coder\'s review), patient history search and image triage (a triage aid, not a diagnosis). Errors are RFC 9457 problem+json.',
    },
  });

  let methodsFor: ((path: string) => string[]) | undefined;
  app.notFound((c) => {
    // A known path asked with another method is a 405 naming the methods it has, not a 404.
    methodsFor ??= allowedMethods(app.routes);
    const allow = methodsFor(c.req.path);
    if (allow.length === 0) return problemResponse(new ProblemError('not-found', 'No such route.'), c);
    const response = problemResponse(new ProblemError('method-not-allowed', `This path answers ${allow.join(', ')}.`), c);
    response.headers.set('Allow', allow.join(', '));
    return response;
  });
  app.onError((error, c) => problemResponse(toProblem(error, c), c));
  return app;
}

export type App = ReturnType<typeof createApp>;
