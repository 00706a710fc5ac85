import { describe, expect, it } from 'vitest';
import { foldSplit, pooledMeans } from './codiesp-cv.ts';

describe('CodiEsp cross-validation', () => {
  it('holds out every k-th document once across the folds', () => {
    const items = [0, 1, 2, 3, 4, 5, 6];
    expect(foldSplit(items, 3, 1)).toEqual({ training: [0, 2, 3, 5, 6], heldOut: [1, 4] });
    const heldOut = [0, 1, 2].flatMap((fold) => foldSplit(items, 3, fold).heldOut);
    expect(heldOut.sort()).toEqual(items);
  });

  it('pools folds by document, not by fold', () => {
    const means = pooledMeans([
      { fold: 1, n_docs: 3, map: 0.5, map_clinical: 0.4 },
      { fold: 2, n_docs: 1, map: 0.9, map_clinical: 0.8 },
    ]);
    expect(means).toEqual({ map: 0.6, map_clinical: 0.5 });
  });
});
