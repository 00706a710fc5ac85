import { describe } from 'vitest';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.ts';
import { redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/backends.ts';
import { queueContract } from '../support/queue-contract.ts';

describe.runIf(redisAvailable)('BullMQ queue on Redis', () => {
  queueContract((options) => createBullMqQueue({ ...options, redisUrl: TEST_REDIS_URL, prefix: uniqueRedisPrefix() }));
});
