import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../src/config/paths.ts';
import type { Embedder } from '../../src/ml/embedder.ts';
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
  /**
   * A one-dimensional stand-in model: candidate `name-NN` embeds to (15 - NN) / 15 and every query to 1, so
   * `name-NN` ranks exactly NN + 1 among the 15 candidates whatever the query, and the figures are known.
   */
  const candidates = Array.from({ length: 15 }, (_, i) => `name-${String(i).padStart(2, '0')}`);
  const stubEmbedder: Embedder = {
    modelId: 'stub',
    dimension: 1,
    embed: async (texts) =>
      texts.map((t) => Float32Array.of(t.startsWith('name-') ? (15 - Number(t.slice(5))) / 15 : 1)),
  };

  it('scores the rank of the best relevant name among all candidates, distractors included', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'embed-eval-')), 'synonyms.json.gz');
    const queries = [
      { term: 'q1', source: 'a', relevant: ['name-00'] }, // rank 1
      { term: 'q2', source: 'b', relevant: ['name-02'] }, // rank 3
      { term: 'q3', source: 'a', relevant: ['name-11'] }, // rank 12: outside the top 10
      { term: 'q4', source: 'b', relevant: ['name-13', 'name-04'] }, // the better of ranks 14 and 5
    ];
    writeFileSync(file, gzipSync(JSON.stringify({ candidates, queries })));
    const result = await evaluateSynonyms(stubEmbedder, file);
    expect(result).toMatchObject({ queries: 4, candidates: 15, recallAt1: 0.25, recallAt10: 0.75 });
    expect(result.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 12 + 1 / 5) / 4, 10);
    expect(result.bySource).toEqual({ a: { queries: 2, recallAt10: 0.5 }, b: { queries: 2, recallAt10: 1 } });
  });

  it('ranks a relevant name after every candidate scoring strictly higher, not after its ties', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'embed-eval-')), 'synonyms.json.gz');
    const tied: Embedder = { ...stubEmbedder, embed: async (texts) => texts.map(() => Float32Array.of(1)) };
    writeFileSync(file, gzipSync(JSON.stringify({ candidates, queries: [{ term: 'q', source: 'a', relevant: ['name-14'] }] })));
    expect(await evaluateSynonyms(tied, file)).toMatchObject({ recallAt1: 1, mrr: 1 });
  });
});
