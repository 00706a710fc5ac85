import type { Config } from '../config/env.ts';
import { createBullMqQueue } from './bullmq-queue.ts';
import { createInProcessQueue } from './in-process-queue.ts';
import type { JobQueue } from './job-queue.ts';

/** The driver the configuration selects: BullMQ when REDIS_URL is set, in-process otherwise. */
export function openJobQueue(config: Pick<Config, 'REDIS_URL' | 'CLINOTE_WORKER_CONCURRENCY' | 'CLINOTE_JOB_ATTEMPTS' | 'CLINOTE_QUEUE_PREFIX'>): JobQueue {
  const options = { concurrency: config.CLINOTE_WORKER_CONCURRENCY, attempts: config.CLINOTE_JOB_ATTEMPTS };
  return config.REDIS_URL ? createBullMqQueue({ ...options, redisUrl: config.REDIS_URL, prefix: config.CLINOTE_QUEUE_PREFIX }) : createInProcessQueue(options);
}
