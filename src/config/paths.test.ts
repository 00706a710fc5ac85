import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.ts';
import { modelLocationsOf, projectRoot } from './paths.ts';

describe('modelLocationsOf', () => {
  it('defaults every model location to the checkout models folder and the bundled artifacts', () => {
    const locations = modelLocationsOf(loadConfig({ CLINOTE_DATA_DIR: '/var/clinote', CLINOTE_ICD10_VERSION: ' ' }));
    expect(locations).toEqual({
      modelsDir: path.join(projectRoot, 'models'),
      embeddingModel: 'clinote-embed',
      icd10Version: undefined,
      icd10Ranker: path.join(projectRoot, 'models', 'icd10cm', 'ranker.json.gz'),
      dataDir: '/var/clinote',
    });
  });

  it('takes each location from its setting, the default ranker following the models folder', () => {
    const config = loadConfig({ CLINOTE_MODELS_DIR: '/opt/models', CLINOTE_EMBED_MODEL: 'other-embed', CLINOTE_ICD10_VERSION: 'FY2026' });
    expect(modelLocationsOf(config)).toMatchObject({
      modelsDir: '/opt/models',
      embeddingModel: 'other-embed',
      icd10Version: 'FY2026',
      icd10Ranker: '/opt/models/icd10cm/ranker.json.gz',
    });
    expect(modelLocationsOf(loadConfig({ CLINOTE_ICD10_RANKER: '/srv/learned.json.gz' })).icd10Ranker).toBe('/srv/learned.json.gz');
  });
});
