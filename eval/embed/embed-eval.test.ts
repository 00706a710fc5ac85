import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../src/config/paths.ts';
import { getEmbedder } from '../../src/ml/embedder.ts';
import { evaluateSynonyms, loadCodiespCohorts, readIcd10cmTitles, SYNONYM_EVAL_FILE } from './embed-eval.ts';

describe('embed evaluation data', () => {
  it('reads ICD-10-CM long titles by dotted code', () => {
    const titles = readIcd10cmTitles(path.join(sharedDataDir(), 'icd10cm', 'icd10cm-fy2021-jan', 'icd10cm-order-Jan-2021.txt'));
    expect(titles.get('I10')).toBe('Essential (primary) hypertension');
    expect(titles.get('E11.9')).toBe('Type 2 diabetes mellitus without complications');
  });

  it('builds CodiEsp dev cohorts of codes coded in at least 3 documents', () => {
    const { documents, cohorts } = loadCodiespCohorts(sharedDataDir());
    expect(documents).toHaveLength(250);
    expect(cohorts.every((c) => c.relevant.size >= 3)).toBe(true);
    expect(cohorts.find((c) => c.code === 'R52')?.title).toBe('Pain, unspecified');
  });

  it('the committed held-out synonym file has queries whose relevant names are candidates', () => {
    const data = JSON.parse(gunzipSync(readFileSync(SYNONYM_EVAL_FILE)).toString('utf8')) as {
      candidates: string[];
      queries: Array<{ relevant: string[] }>;
    };
    const candidates = new Set(data.candidates);
    expect(data.queries.length).toBeGreaterThan(1000);
    expect(data.queries.every((q) => q.relevant.length > 0 && q.relevant.every((r) => candidates.has(r)))).toBe(true);
  });
});

describe('evaluateSynonyms', () => {
  it('scores the rank of the relevant concept name among all candidates', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'embed-eval-')), 'synonyms.json.gz');
    const candidates = ['Myocardial infarction', 'Fracture of femur', 'Asthma', 'Hypertension'];
    const queries = [
      { term: 'heart attack', source: 'test', relevant: ['Myocardial infarction'] },
      { term: 'broken thigh bone', source: 'test', relevant: ['Fracture of femur'] },
    ];
    writeFileSync(file, gzipSync(JSON.stringify({ candidates, queries })));
    const result = await evaluateSynonyms(await getEmbedder(), file);
    expect(result.queries).toBe(2);
    expect(result.candidates).toBe(4);
    expect(result.recallAt10).toBe(1);
    expect(result.mrr).toBeGreaterThan(0.25);
    expect(result.bySource.test?.queries).toBe(2);
  });
});
