import type { EnqueueRequest, JobEvents, JobHandler, JobQueue } from './job-queue.ts';
import { UnknownJobError } from './job-queue.ts';
import { defaultQueueOptions, type QueueOptions } from './queue-options.ts';

interface PendingJob {
  request: EnqueueRequest;
  attempt: number;
}

/**
 * The embedded driver: jobs run in this process with the same retry, backoff and concurrency
 * rules as BullMQ. Nothing survives a restart, which is why the reconciler re-enqueues unfinished
 * work from the database at start-up.
 */
export function createInProcessQueue(options: Partial<QueueOptions> = {}): JobQueue {
  const opts = { ...defaultQueueOptions, ...options };
  const waiting: PendingJob[] = [];
  const known = new Set<string>(); // ids waiting, delayed or running: duplicates are dropped
  const timers = new Set<NodeJS.Timeout>();
  const running = new Map<string, { name: string; done: Promise<void> }>();
  let handlers: ReadonlyMap<string, JobHandler> | undefined;
  let events: JobEvents = {};
  let closed = false;

  const pump = () => {
    if (!handlers || closed) return;
    while (running.size < opts.concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      running.set(job.request.id, {
        name: job.request.name,
        done: run(job).finally(() => {
          running.delete(job.request.id);
          pump();
        }),
      });
    }
  };

  const run = async (job: PendingJob) => {
    const { request } = job;
    const handler = handlers?.get(request.name);
    const final = job.attempt >= opts.attempts;
    const started = Date.now();
    try {
      if (!handler) throw new UnknownJobError(`No handler for job "${request.name}"`);
      await events.onActive?.(request.id, request.name);
      await handler(request.payload, { jobId: request.id, attempt: job.attempt, final });
      known.delete(request.id);
      await events.onCompleted?.(request.id, request.name, Date.now() - started);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      await events.onFailed?.(request.id, request.name, err, final).catch(() => undefined);
      if (final || closed) {
        known.delete(request.id);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        waiting.push({ request, attempt: job.attempt + 1 });
        pump();
      }, opts.backoffMs * 2 ** (job.attempt - 1));
      timers.add(timer);
    }
  };

  return {
    driver: 'in-process',
    async enqueue(request) {
      if (closed || known.has(request.id)) return;
      known.add(request.id);
      waiting.push({ request, attempt: 1 });
      pump();
    },
    async work(h, e = {}) {
      handlers = h;
      events = e;
      pump();
    },
    async counts() {
      const counts: Record<string, number> = {};
      const names = [...waiting.map((j) => j.request.name), ...[...running.values()].map((r) => r.name)];
      for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
      return counts;
    },
    ping: async () => !closed,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
}
