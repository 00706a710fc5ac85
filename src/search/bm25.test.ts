import { describe, expect, it } from 'vitest';
import { bm25Scores } from './bm25.ts';

describe('bm25Scores', () => {
  it('weights a rare term over a common one and scores a document without a query term 0', () => {
    const [common, rare, none] = bm25Scores([
      { length: 10, termFrequencies: { pain: 1 } },
      { length: 10, termFrequencies: { dvt: 1, pain: 1 } },
      { length: 10, termFrequencies: {} },
      { length: 10, termFrequencies: { pain: 2 } },
    ]);
    expect(rare).toBeGreaterThan(common!);
    expect(none).toBe(0);
  });

  it('normalises by length unless b is 0', () => {
    const documents = [
      { length: 80, termFrequencies: { hba1c: 1 } },
      { length: 10, termFrequencies: { hba1c: 1 } },
    ];
    const [long, short] = bm25Scores(documents);
    expect(short).toBeGreaterThan(long!);
    const [flatLong, flatShort] = bm25Scores(documents, { b: 0 });
    expect(flatLong).toBe(flatShort);
  });
});
