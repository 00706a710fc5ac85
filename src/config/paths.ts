import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './env.ts';

/** The repository root (the folder holding package.json), wherever the process was started from. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the model loaders look, all from the validated `Config`. */
export interface ModelLocations {
  /** Model artifacts and derived lexicons (CLINOTE_MODELS_DIR, default the checkout's models/). */
  readonly modelsDir: string;
  /** Embedding model: a folder name under `modelsDir` or a path to a model folder (CLINOTE_EMBED_MODEL). */
  readonly embeddingModel: string;
  /** Active ICD-10-CM code-set version (CLINOTE_ICD10_VERSION); undefined → the bundled one. */
  readonly icd10Version: string | undefined;
  /** ICD-10-CM ranker file (CLINOTE_ICD10_RANKER, default `<modelsDir>/icd10cm/ranker.json.gz`). */
  readonly icd10Ranker: string;
  /** The data directory, where imported code-set versions live (CLINOTE_DATA_DIR). */
  readonly dataDir: string;
}

export function modelLocationsOf(config: Config): ModelLocations {
  const modelsDir = path.resolve(config.CLINOTE_MODELS_DIR ?? path.join(projectRoot, 'models'));
  return {
    modelsDir,
    embeddingModel: config.CLINOTE_EMBED_MODEL,
    icd10Version: config.CLINOTE_ICD10_VERSION,
    icd10Ranker: path.resolve(config.CLINOTE_ICD10_RANKER ?? path.join(modelsDir, 'icd10cm', 'ranker.json.gz')),
    dataDir: config.dataDir,
  };
}

let installed: ModelLocations | undefined;

/**
 * Sets the process's model locations; `installModelFiles` (src/model-files.ts) does, with the ones it points the
 * model loaders at. The loaders cache one model per process (per compute thread), so their locations are
 * process-wide too: a compute thread installs the ones its pool was opened with.
 */
export function useModelLocations(locations: ModelLocations): void {
  installed = locations;
}

/** The installed model locations; a process that installed none uses its environment's `Config`. */
export function modelLocations(): ModelLocations {
  installed ??= modelLocationsOf(loadConfig());
  return installed;
}

/**
 * The read-only shared data sets (`../shared/data` beside the checkout, or CLINOTE_SHARED_DATA). Only build
 * scripts, evaluations and tests read it: the running service uses the artifacts derived into `models/`.
 */
export function sharedDataDir(config: Config = loadConfig()): string {
  const dir = path.resolve(config.CLINOTE_SHARED_DATA ?? path.join(projectRoot, '..', 'shared', 'data'));
  if (!existsSync(dir)) {
    throw new ConfigError(`Shared data folder not found at ${dir}; set CLINOTE_SHARED_DATA to the shared/data folder.`);
  }
  return dir;
}
