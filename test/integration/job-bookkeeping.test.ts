import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/registry.ts';
import { enqueueTracked, jobBookkeeping } from '../../src/queue/bookkeeping.ts';
import { createBullMqQueue } from '../../src/queue/bullmq-queue.ts';
import { createInProcessQueue } from '../../src/queue/in-process-queue.ts';
import type { JobHandler, JobQueue } from '../../src/queue/job-queue.ts';
import { findJob } from '../../src/queue/jobs-repository.ts';
import { createPgliteTestDatabase, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from '../support/backends.ts';
import { memoryLog, waitFor } from '../support/runtime.ts';

const drivers: Array<{ name: string; open: () => JobQueue }> = [
  { name: 'in-process', open: () => createInProcessQueue({ attempts: 1 }) },
  ...(redisAvailable ? [{ name: 'BullMQ', open: () => createBullMqQueue({ redisUrl: TEST_REDIS_URL, prefix: uniqueRedisPrefix(), attempts: 1 }) }] : []),
];

describe.each(drivers)('job bookkeeping with the $name driver', (driver) => {
  let t: TestDatabase | undefined;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    await t?.drop();
  });

  it('runs a finished job again when a reconcile that listed it earlier enqueues it, and records it completed', async () => {
    t = await createPgliteTestDatabase();
    queue = driver.open();
    const runtime = { db: t.db, queue };
    await queue.work(new Map([['t', (async () => undefined) as JobHandler]]), jobBookkeeping(t.db, createMetrics(), memoryLog().logger));
    const request = { name: 't', id: 't.same', payload: { requestId: null } };
    await enqueueTracked(runtime, request, { type: 'note', id: 'n1' });
    await waitFor(async () => (await findJob(t!.db, request.id))?.status === 'completed', 10_000, 'first run');

    // The reconciler read the work as unfinished just before it finished: the job runs again (a no-op for the
    // idempotent handlers) and its record ends completed, not waiting for a run that never comes.
    await enqueueTracked(runtime, request, { type: 'note', id: 'n1' });
    await waitFor(async () => Object.values(await queue!.counts()).every((n) => n === 0), 10_000, 'queue drained');
    await waitFor(async () => (await findJob(t!.db, request.id))?.status === 'completed', 10_000, 'second run recorded');
    expect(await findJob(t.db, request.id)).toMatchObject({ status: 'completed', attempts: 2 });
  });
});
