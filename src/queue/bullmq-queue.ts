import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { EnqueueRequest, JobEvents, JobHandler, JobQueue } from './job-queue.ts';
import { defaultQueueOptions, type QueueOptions } from './queue-options.ts';

export interface BullMqQueueOptions extends Partial<QueueOptions> {
  redisUrl: string;
  /** Prefix of every Redis key, so several deployments can share one Redis. Default `clinote`. */
  prefix?: string;
}

/**
 * The scale-out driver: one BullMQ queue per job name on a shared Redis; any number of
 * `clinote worker` processes on any machines consume them.
 */
export function createBullMqQueue(options: BullMqQueueOptions): JobQueue {
  const opts = { ...defaultQueueOptions, ...options };
  const prefix = options.prefix ?? 'clinote';
  // Producers fail fast when Redis is down; workers wait for it (BullMQ requires maxRetriesPerRequest: null).
  const producerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  producerConnection.on('error', () => undefined);
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];

  const queueFor = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: producerConnection as unknown as ConnectionOptions, prefix });
      queue.on('error', () => undefined);
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    driver: 'bullmq',
    async enqueue(request: EnqueueRequest) {
      if (producerConnection.status === 'wait') await producerConnection.connect();
      await queueFor(request.name).add(request.name, request.payload, {
        jobId: request.id,
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: opts.backoffMs },
        // Finished jobs leave Redis at once: the database keeps their outcome, and a kept id would make BullMQ
        // ignore a later enqueue of it (a reindex asked for again, a note sent back through the pipeline).
        removeOnComplete: true,
        removeOnFail: true,
      });
    },
    async work(handlers: ReadonlyMap<string, JobHandler>, events: JobEvents = {}) {
      for (const [name, handler] of handlers) {
        queueFor(name); // so counts() covers every job this process works on, not only those it enqueued
        const worker = new Worker(
          name,
          async (job) => {
            const attempt = job.attemptsMade + 1;
            const final = attempt >= (job.opts.attempts ?? opts.attempts);
            const started = Date.now();
            const jobId = job.id ?? '';
            await events.onActive?.(jobId, name);
            try {
              await handler(job.data, { jobId, attempt, final });
            } catch (error) {
              const err = error instanceof Error ? error : new Error(String(error));
              await events.onFailed?.(jobId, name, err, final).catch(() => undefined);
              throw err;
            }
            await events.onCompleted?.(jobId, name, Date.now() - started);
          },
          { connection: { url: options.redisUrl, maxRetriesPerRequest: null } as ConnectionOptions, prefix, concurrency: opts.concurrency },
        );
        worker.on('error', () => undefined);
        workers.push(worker);
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async counts() {
      if (producerConnection.status === 'wait') await producerConnection.connect();
      const counts: Record<string, number> = {};
      for (const [name, queue] of queues) {
        const c = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        counts[name] = Object.values(c).reduce((a, b) => a + b, 0);
      }
      return counts;
    },
    async ping() {
      try {
        if (producerConnection.status === 'wait') await producerConnection.connect();
        return (await producerConnection.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      producerConnection.disconnect();
    },
  };
}
