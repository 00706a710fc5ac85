/**
 * This process's learned mention finder: the model in models/ner (CLINOTE_MODELS_DIR), read on first use and
 * shared by every later note, with the confident-code check over the active ICD-10-CM code set (indexed then too).
 */
import path from 'node:path';
import { confidentCoder } from '../coding/icd10/confident-code.ts';
import { loadCodeSet } from '../coding/icd10/versions.ts';
import { modelLocations } from '../config/paths.ts';
import type { LearnedFinder } from './structuring/structure.ts';
import { findMentions } from './structuring/ner/model.ts';
import { loadNerModel } from './structuring/ner/ner-files.ts';

export function nerModelDir(modelsDir = modelLocations().modelsDir): string {
  return path.join(modelsDir, 'ner');
}

let finder: Promise<LearnedFinder> | null = null;

export function learnedFinder(): Promise<LearnedFinder> {
  finder ??= loadNerModel(nerModelDir()).then((model) => ({
    // Without the name memory (BC5CDR's training names) and document-level propagation: on the project's entity
    // cases they change no span the merge keeps, and together they cost about as much as the network (bench structure).
    findMentions: (text) => findMentions(model, text, { memory: false, propagate: false }),
    confidentCode: confidentCoder(loadCodeSet()),
  }));
  // A failed load is retried by the next note rather than failing every later one.
  finder.catch(() => (finder = null));
  return finder;
}
