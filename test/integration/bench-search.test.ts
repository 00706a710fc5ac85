import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../src/config/paths.ts';
import { getEmbedder } from '../../src/ml/embedder.ts';
import { benchSearch, type BenchSearchOptions } from '../../eval/bench-search.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

// The benchmark at a toy size: it must load a recombined corpus, search it exactly within a patient, and re-measure
// a kept corpus without loading it again. Its figures are numbers to read, not assertions.
const options: BenchSearchOptions = { patients: 4, passagesPerPatient: 12, freshPassages: 20, queries: 12, cohortQueries: 3, seed: 11 };

describe.each(databaseBackends)('bench search on $name', ({ create }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(() => database?.drop());

  it('loads the corpus, reports every figure, and searches a kept corpus again without ingesting', async () => {
    const embedder = await getEmbedder();
    const first = await benchSearch(database.db, embedder, sharedDataDir(), { ...options, reuse: true });
    expect(first.patients).toBe(4);
    expect(first.passages).toBeGreaterThanOrEqual(4 * 12);
    expect(first.ingest?.freshPassages).toBeGreaterThanOrEqual(20);
    expect(first.perPatient.hybrid.queries).toBe(12);
    expect(first.patientRecallAt10).toBe(1);
    expect(first.cohort.hnswRecallAt10).toBeGreaterThan(0.5);

    const again = await benchSearch(database.db, embedder, sharedDataDir(), { ...options, reuse: true });
    expect(again.ingest).toBeNull();
    expect(again.passages).toBe(first.passages);
    expect(again.perPatient.lexical.queries).toBe(12);
  }, 120_000);
});
