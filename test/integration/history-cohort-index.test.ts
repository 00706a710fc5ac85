import { describe, expect, it } from 'vitest';
import { ensureCohortIndex } from '../../src/history/passages-repository.ts';
import { databaseBackends } from '../support/backends.ts';

describe.each(databaseBackends)('cross-patient HNSW index on $name', (backend) => {
  it('is created once when several workers ask for it at the same moment', async () => {
    const t = await backend.create();
    try {
      // Workers indexing their first notes at once all ask for the index. The pool's connections are opened first
      // so the statements really run side by side; ten dimensions give a race ten chances to show.
      await Promise.all(Array.from({ length: 4 }, () => t.db.query('SELECT pg_sleep(0.05)')));
      const names = Array.from({ length: 10 }, (_, i) => `history_passages_hnsw_${i + 1}`);
      for (let dimension = 1; dimension <= names.length; dimension++) {
        await Promise.all(Array.from({ length: 4 }, () => ensureCohortIndex(t.db, dimension)));
      }
      const rows = await t.db.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE indexname = ANY($1::text[])', [names]);
      expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    } finally {
      await t.drop();
    }
  });
});
