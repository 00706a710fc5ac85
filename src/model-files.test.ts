import { afterAll, describe, expect, it } from 'vitest';
import { activeVersion, listVersions, loadCodeSet } from './coding/icd10/versions.ts';
import { loadRanker } from './coding/icd10/ranker/model.ts';
import { modelLocations } from './config/paths.ts';
import { installModelFiles } from './model-files.ts';
import { lexicons } from './notes/structuring/lexicons.ts';
import { loadSectionClassifier } from './notes/structuring/section-classifier.ts';

describe('installModelFiles', () => {
  const configured = modelLocations();
  afterAll(() => installModelFiles(configured));

  it('points every loader at the given locations and drops what was loaded from the earlier ones', () => {
    expect(lexicons().drugs).toBeDefined();
    const elsewhere = { ...configured, modelsDir: '/nonexistent/models', icd10Ranker: '/nonexistent/ranker.json.gz', icd10Version: 'FY2099' };
    installModelFiles(elsewhere);
    expect(modelLocations()).toBe(elsewhere);
    expect(() => lexicons()).toThrow(/\/nonexistent\/models\/lexicons\/problems\.json\.gz/);
    expect(() => loadSectionClassifier()).toThrow(/\/nonexistent\/models\/lexicons\/section-classifier\.json/);
    expect(() => loadRanker()).toThrow(/ranker not found at \/nonexistent\/ranker\.json\.gz/);
    expect(activeVersion()).toBe('FY2099');
    expect(listVersions().some((v) => v.bundled)).toBe(false);
    expect(() => loadCodeSet()).toThrow(/"FY2099" is not installed/);

    installModelFiles(configured);
    expect(lexicons().drugs).toBeDefined();
    expect(loadCodeSet().version).toBe(activeVersion());
  });
});
