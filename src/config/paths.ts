import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './env.ts';

/** The repository root (the folder holding package.json), wherever the process was started from. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Committed model artifacts and derived lexicons. Overridable so a deployment can mount validated models elsewhere. */
export const modelsDir = path.resolve(process.env.CLINOTE_MODELS_DIR ?? path.join(projectRoot, 'models'));

/**
 * The read-only shared data sets (`../shared/data` beside the checkout). Only build scripts, evaluations
 * and tests read it: the running service uses the artifacts derived into `models/`.
 */
export function sharedDataDir(): string {
  const dir = path.resolve(process.env.CLINOTE_SHARED_DATA ?? path.join(projectRoot, '..', 'shared', 'data'));
  if (!existsSync(dir)) {
    throw new ConfigError(`Shared data folder not found at ${dir}; set CLINOTE_SHARED_DATA to the shared/data folder.`);
  }
  return dir;
}
