/**
 * Cross-validated MAP on CodiEsp train: the documents are split into folds, a ranker (lexicons, priors,
 * weights, threshold) is trained on all folds but one and scored on that one, under both coding conventions.
 * It judges a ranker change on data that dev never sees, so changes are not tuned to dev alone.
 */
import type { CodeSet } from '../src/coding/icd10/code-set.ts';
import { Ranker } from '../src/coding/icd10/ranker/model.ts';
import { readCodiEspSplit } from '../src/coding/icd10/training/codiesp-files.ts';
import { trainRanker } from '../src/coding/icd10/training/train.ts';
import { scoreConventions } from './codiesp.ts';

export interface FoldResult {
  fold: number;
  n_docs: number;
  map: number;
  map_clinical: number;
}

export interface CrossValidationResult {
  folds: FoldResult[];
  /** Means over every held-out document with gold codes (not over folds). */
  map: number;
  map_clinical: number;
}

/** Fold `k` holds out every document whose index is k modulo `folds`. */
export function foldSplit<T>(items: ReadonlyArray<T>, folds: number, fold: number): { training: T[]; heldOut: T[] } {
  return { training: items.filter((_, i) => i % folds !== fold), heldOut: items.filter((_, i) => i % folds === fold) };
}

/** Pools fold results into per-document means, as MAP on all held-out documents at once would be. */
export function pooledMeans(folds: ReadonlyArray<FoldResult>): Pick<CrossValidationResult, 'map' | 'map_clinical'> {
  const documents = folds.reduce((n, f) => n + f.n_docs, 0);
  const mean = (key: 'map' | 'map_clinical') => Number((folds.reduce((s, f) => s + f[key] * f.n_docs, 0) / Math.max(1, documents)).toFixed(4));
  return { map: mean('map'), map_clinical: mean('map_clinical') };
}

export function crossValidateCodiEsp(dir: string, codeSet: CodeSet, folds = 5, onFold?: (result: FoldResult) => void): CrossValidationResult {
  const documents = readCodiEspSplit(dir, 'train');
  const results: FoldResult[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const { training, heldOut } = foldSplit(documents, folds, fold);
    const ranker = new Ranker(trainRanker(training, codeSet, { trainedOn: `CodiEsp train without fold ${fold + 1} of ${folds}` }));
    const { codiesp, clinical } = scoreConventions(heldOut, ranker);
    const result = { fold: fold + 1, n_docs: codiesp.n_docs, map: codiesp.map, map_clinical: clinical.map };
    results.push(result);
    onFold?.(result);
  }
  return { folds: results, ...pooledMeans(results) };
}
