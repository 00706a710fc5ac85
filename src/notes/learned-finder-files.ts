/**
 * This process's learned mention finder: the model in models/ner (CLINOTE_MODELS_DIR), read on first use and
 * shared by every later note, with the confident-code check over the active ICD-10-CM code set (indexed then too).
 */
import path from 'node:path';
import { confidentCoder, loadCodeSet } from '../coding/icd10/index.ts';
import { modelLocations } from '../config/paths.ts';
import type { LearnedFinder } from './structuring/index.ts';
import { findMentions, loadNerModel } from './structuring/ner/index.ts';

export function nerModelDir(modelsDir = modelLocations().modelsDir): string {
  return path.join(modelsDir, 'ner');
}

let finder: Promise<LearnedFinder> | null = null;

export function learnedFinder(): Promise<LearnedFinder> {
  finder ??= loadNerModel(nerModelDir()).then((model) => ({
    findMentions: (text) => findMentions(model, text),
    confidentCode: confidentCoder(loadCodeSet()),
  }));
  // A failed load is retried by the next note rather than failing every later one.
  finder.catch(() => (finder = null));
  return finder;
}
