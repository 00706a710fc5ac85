/**
 * Loads the on-device models (note-structuring lexicons and section classifier, ICD-10-CM code set, typeahead
 * index, term matcher and ranker, the learned mention finder, the embedding model) ahead of the first request that needs them, so that the
 * first doctor or coder after a start does not wait seconds. Every step also loads lazily on first use; this only
 * moves the wait to just after start. Steps run one at a time with a turn of the event loop between them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sectionClassifierFile } from './notes/structuring/lexicon-files.ts';
import { lexicons } from './notes/structuring/lexicons.ts';
import { loadSectionClassifier } from './notes/structuring/section-classifier.ts';
import { codingLoadSteps } from './coding/icd10/code-lookup.ts';
import { listCodeSetFiles } from './coding/icd10/code-set-files.ts';
import { modelLocations, type ModelLocations } from './config/paths.ts';
import { bundledVersion } from './coding/icd10/versions.ts';
import { getEmbedder } from './ml/embedder.ts';
import { resolveEmbeddingModel } from './ml/embedder-files.ts';
import { learnedFinder, nerModelDir } from './notes/learned-finder-files.ts';

export interface PreloadStep {
  readonly name: string;
  load(): unknown;
}

export const preloadStates = ['not started', 'loading', 'loaded', 'failed'] as const;
export type PreloadState = (typeof preloadStates)[number];

export interface PreloadResult {
  /** Milliseconds per step, in order. */
  readonly steps: ReadonlyArray<{ name: string; ms: number }>;
  /** The first step that threw, if any (the later steps still ran: each loads on first use anyway). */
  readonly failed?: { name: string; error: unknown };
}

let state: PreloadState = 'not started';

/** Where the process-wide preload is: reported by `GET /ready`. */
export function preloadState(): PreloadState {
  return state;
}

/**
 * What is missing among the model files the service needs, checked at start-up so that a wrong
 * CLINOTE_MODELS_DIR, CLINOTE_EMBED_MODEL, CLINOTE_ICD10_VERSION or CLINOTE_ICD10_RANKER stops the process
 * with one clear message instead of failing the first request that needs the model.
 */
export function missingModelFiles(locations: ModelLocations = modelLocations()): string[] {
  const missing: string[] = [];
  const classifier = sectionClassifierFile(locations.modelsDir);
  if (!existsSync(classifier)) missing.push(`note-structuring lexicons: no ${classifier} (CLINOTE_MODELS_DIR)`);
  const ner = nerModelDir(locations.modelsDir);
  for (const file of ['ner.json', 'ner.onnx']) if (!existsSync(path.join(ner, file))) missing.push(`learned mention finder: no ${ner}/${file} (CLINOTE_MODELS_DIR)`);
  const version = locations.icd10Version ?? bundledVersion;
  if (!listCodeSetFiles(locations).some((v) => v.version === version)) missing.push(`ICD-10-CM code set "${version}": neither bundled nor imported (CLINOTE_ICD10_VERSION; see clinote icd10 versions)`);
  const ranker = locations.icd10Ranker;
  if (!existsSync(ranker)) missing.push(`ICD-10-CM ranker: no ${ranker} (CLINOTE_ICD10_RANKER or CLINOTE_MODELS_DIR)`);
  const embedding = resolveEmbeddingModel(locations.embeddingModel, locations.modelsDir);
  if (!existsSync(path.join(embedding.dir, 'config.json'))) missing.push(`embedding model "${embedding.name}": no ${embedding.dir}/config.json (CLINOTE_EMBED_MODEL or CLINOTE_MODELS_DIR)`);
  return missing;
}

/** The steps that load every model a request or job may need, in the order a first request would need them. */
export function modelPreloadSteps(icd10Version?: string): PreloadStep[] {
  return [
    { name: 'clinical lexicons', load: () => lexicons() },
    { name: 'section classifier', load: () => loadSectionClassifier() },
    ...codingLoadSteps(icd10Version),
    // After the code set, whose names the finder's confident-code check indexes.
    { name: 'mention finder', load: () => learnedFinder() },
    { name: 'embedding model', load: () => getEmbedder() },
  ];
}

/** Runs the steps in order, yielding to the event loop before each one; a failing step does not stop the others. */
export async function preloadModels(steps: ReadonlyArray<PreloadStep> = modelPreloadSteps()): Promise<PreloadResult> {
  state = 'loading';
  const timings: Array<{ name: string; ms: number }> = [];
  let failed: PreloadResult['failed'];
  for (const step of steps) {
    await nextTurn();
    const started = performance.now();
    try {
      await step.load();
    } catch (error) {
      failed ??= { name: step.name, error };
    }
    timings.push({ name: step.name, ms: Math.round(performance.now() - started) });
  }
  state = failed ? 'failed' : 'loaded';
  return { steps: timings, ...(failed ? { failed } : {}) };
}
