import { describe } from 'vitest';
import { queueContract } from '../../test/support/queue-contract.ts';
import { createInProcessQueue } from './in-process-queue.ts';

describe('in-process queue', () => {
  queueContract((options) => createInProcessQueue(options));
});
