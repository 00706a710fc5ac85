import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { JobQueue } from '../../../queue/job-queue.ts';
import type { AppEnv } from '../../env.ts';
import { problemResponse } from '../../errors.ts';
import { ProblemError } from '../../problem.ts';

export interface BackpressureOptions {
  /**
   * How long a queue depth reading is reused, in ms (BullMQ asks Redis for it).
   * @default 250
   */
  cacheMs?: number;
  /**
   * The `Retry-After` sent with a refusal, in seconds.
   * @default 2
   */
  retryAfterS?: number;
}

const readings = new WeakMap<JobQueue, { at: number; depth: Promise<number> }>();

/** Jobs waiting, delayed or running, all names together; a queue that cannot answer counts as empty (its enqueue will fail and say so). */
function queueDepth(queue: JobQueue, cacheMs: number): Promise<number> {
  const now = Date.now();
  const reading = readings.get(queue);
  if (reading && now - reading.at < cacheMs) return reading.depth;
  const depth = queue.counts().then(
    (counts) => Object.values(counts).reduce((a, b) => a + b, 0),
    () => 0,
  );
  readings.set(queue, { at: now, depth });
  return depth;
}

/**
 * Refuses a submit that would add background work once more than CLINOTE_MAX_PENDING_JOBS jobs are pending:
 * 503 problem+json with `Retry-After`, answered at once, so an overloaded server sheds load instead of resetting
 * connections or letting requests hang.
 */
export function refuseWhenBusy(options: BackpressureOptions = {}) {
  const cacheMs = options.cacheMs ?? 250;
  const retryAfter = String(options.retryAfterS ?? 2);
  return createMiddleware<AppEnv>(async (c: Context<AppEnv>, next) => {
    const { queue, config } = c.var.runtime;
    const depth = await queueDepth(queue, cacheMs);
    if (depth >= config.CLINOTE_MAX_PENDING_JOBS) {
      // Read the body anyway: a server that answers before the client has sent it all may see the connection reset.
      await c.req.arrayBuffer().catch(() => undefined);
      const response = problemResponse(new ProblemError('busy', `${depth} jobs are waiting; nothing was saved. Retry after ${retryAfter} s.`), c);
      response.headers.set('Retry-After', retryAfter);
      return response;
    }
    return next();
  });
}
