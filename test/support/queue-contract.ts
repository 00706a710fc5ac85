import { afterEach, expect, it } from 'vitest';
import type { JobContext, JobHandler, JobPayload, JobQueue } from '../../src/queue/job-queue.ts';
import { waitFor } from './runtime.ts';

interface Payload extends JobPayload {
  readonly n: number;
}

/** Behaviour every queue driver must share; run against each driver. */
export function queueContract(makeQueue: (options: { concurrency: number; attempts: number; backoffMs: number }) => JobQueue) {
  const open: JobQueue[] = [];
  const make = (options: { concurrency: number; attempts: number; backoffMs: number }) => {
    const q = makeQueue(options);
    open.push(q);
    return q;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  it('runs every job once with its payload and reports completion', async () => {
    const q = make({ concurrency: 2, attempts: 1, backoffMs: 10 });
    const seen: number[] = [];
    const completed: string[] = [];
    const handler: JobHandler<Payload> = async (p) => {
      seen.push(p.n);
    };
    await q.work(new Map([['t', handler as JobHandler]]), { onCompleted: async (id) => void completed.push(id) });
    for (let n = 0; n < 10; n++) await q.enqueue({ name: 't', id: `job-${n}`, payload: { n, requestId: null } as Payload });
    await waitFor(async () => completed.length === 10, 10_000, 'ten completions');
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('drops a duplicate id while the first is still waiting or running', async () => {
    const q = make({ concurrency: 1, attempts: 1, backoffMs: 10 });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await q.work(new Map([['t', (async () => { runs++; await gate; }) as JobHandler]]));
    await q.enqueue({ name: 't', id: 'same', payload: { requestId: null } });
    await waitFor(async () => runs === 1, 5_000, 'first run');
    await q.enqueue({ name: 't', id: 'same', payload: { requestId: null } });
    release();
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toBe(1);
  });

  it('runs an id again once its earlier job has finished, whether it completed or failed', async () => {
    const q = make({ concurrency: 1, attempts: 1, backoffMs: 10 });
    const runs: string[] = [];
    const finished: string[] = [];
    const events = { onCompleted: async (id: string) => void finished.push(id), onFailed: async (id: string) => void finished.push(id) };
    const handler: JobHandler<Payload> = async (p) => {
      runs.push(`${p.n}`);
      if (p.n === 1) throw new Error('fails');
    };
    await q.work(new Map([['t', handler as JobHandler]]), events);
    for (const n of [0, 1]) {
      await q.enqueue({ name: 't', id: `again-${n}`, payload: { n, requestId: null } as Payload });
      await waitFor(async () => finished.length === runs.length && runs.length === 2 * n + 1, 5_000, `first run of ${n}`);
      await q.enqueue({ name: 't', id: `again-${n}`, payload: { n, requestId: null } as Payload });
      await waitFor(async () => finished.length === 2 * n + 2, 5_000, `second run of ${n}`);
    }
    expect(runs).toEqual(['0', '0', '1', '1']);
  });

  it('retries with backoff and marks the last attempt final', async () => {
    const q = make({ concurrency: 1, attempts: 3, backoffMs: 50 });
    const contexts: JobContext[] = [];
    const failures: boolean[] = [];
    const times: number[] = [];
    await q.work(
      new Map([
        ['t', (async (_p: JobPayload, ctx: JobContext) => {
          contexts.push(ctx);
          times.push(Date.now());
          if (ctx.attempt < 3) throw new Error('transient');
        }) as JobHandler],
      ]),
      { onFailed: async (_id, _n, _e, final) => void failures.push(final) },
    );
    await q.enqueue({ name: 't', id: 'flaky', payload: { requestId: null } });
    await waitFor(async () => contexts.length === 3, 10_000, 'three attempts');
    expect(contexts.map((c) => [c.attempt, c.final])).toEqual([[1, false], [2, false], [3, true]]);
    expect(failures).toEqual([false, false]);
    // Exponential backoff: at least 50 ms before the second attempt and 100 ms before the third. Lower bounds on the
    // configured delays, not a comparison of the two measured gaps, which a loaded machine can stretch either way.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(50 - 5);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(100 - 5);
  });

  it('never runs more jobs at once than the concurrency limit', async () => {
    const q = make({ concurrency: 2, attempts: 1, backoffMs: 10 });
    let active = 0;
    let peak = 0;
    let done = 0;
    await q.work(new Map([['t', (async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 40));
      active--;
      done++;
    }) as JobHandler]]));
    for (let n = 0; n < 8; n++) await q.enqueue({ name: 't', id: `c-${n}`, payload: { requestId: null } });
    await waitFor(async () => done === 8, 10_000, 'eight jobs');
    expect(peak).toBe(2);
  });
}
