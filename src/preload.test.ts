import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/env.ts';
import { modelLocationsOf } from './config/paths.ts';
import { missingModelFiles, modelPreloadSteps, preloadModels, preloadState } from './preload.ts';

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
      'mention finder',
      'embedding model',
    ]);
    const result = await preloadModels(steps);
    expect(result.failed).toBeUndefined();
    expect(preloadState()).toBe('loaded');
  }, 60_000);
});

describe('missingModelFiles', () => {
  it('finds every committed model file', () => {
    expect(missingModelFiles()).toEqual([]);
  });

  it('names each missing model and the variable that points at it', () => {
    const config = loadConfig({
      CLINOTE_DATA_DIR: '/nonexistent/data',
      CLINOTE_EMBED_MODEL: '/nonexistent/embedder',
      CLINOTE_ICD10_VERSION: 'FY1999',
      CLINOTE_ICD10_RANKER: '/nonexistent/ranker.json.gz',
    });
    const missing = missingModelFiles(modelLocationsOf(config));
    expect(missing).toHaveLength(3);
    expect(missing[0]).toMatch(/code set "FY1999".*CLINOTE_ICD10_VERSION/);
    expect(missing[1]).toMatch(/ranker: no \/nonexistent\/ranker\.json\.gz.*CLINOTE_ICD10_RANKER/);
    expect(missing[2]).toMatch(/embedding model "embedder".*CLINOTE_EMBED_MODEL/);
  });

  it('names the learned mention finder when its model files are not in CLINOTE_MODELS_DIR', () => {
    const missing = missingModelFiles(modelLocationsOf(loadConfig({ CLINOTE_MODELS_DIR: '/nonexistent/models' })));
    expect(missing).toContainEqual(expect.stringMatching(/learned mention finder: no \/nonexistent\/models\/ner\/ner\.json/));
    expect(missing).toContainEqual(expect.stringMatching(/learned mention finder: no \/nonexistent\/models\/ner\/ner\.onnx \(CLINOTE_MODELS_DIR\)/));
  });
});
