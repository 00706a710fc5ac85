import { describe, expect, it } from 'vitest';
import { modelPreloadSteps, preloadModels, preloadState } from './preload.ts';

describe('preloadModels', () => {
  it('runs the steps in order, yielding to the event loop before each, and carries on past a failure', async () => {
    const events: string[] = [];
    // Work already waiting for the event loop (a request, say) runs before the first step.
    setImmediate(() => events.push('waiting work'));
    const running = preloadModels([
      { name: 'a', load: () => events.push('a') },
      { name: 'b', load: () => { throw new Error('broken model file'); } },
      { name: 'c', load: async () => events.push('c') },
    ]);
    expect(preloadState()).toBe('loading');
    const result = await running;
    expect(events).toEqual(['waiting work', 'a', 'c']);
    expect(result.steps.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(result.failed?.name).toBe('b');
    expect(String(result.failed?.error)).toContain('broken model file');
    expect(preloadState()).toBe('failed');
  });

  it('loads every committed model without a failure', async () => {
    const steps = modelPreloadSteps();
    expect(steps.map((s) => s.name)).toEqual([
      'clinical lexicons',
      'section classifier',
      'icd10 code set',
      'icd10 search index',
      'icd10 term matcher',
      'icd10 ranker',
      'embedding model',
    ]);
    const result = await preloadModels(steps);
    expect(result.failed).toBeUndefined();
    expect(preloadState()).toBe('loaded');
  }, 60_000);
});
