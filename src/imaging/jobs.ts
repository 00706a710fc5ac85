/**
 * The image-triage job's definition (name, payload, deterministic id, enqueue) and the process-level image helpers it
 * and the upload share: the installed models and decoding on the compute pool. The handler lives in
 * `workers/image-triage.ts`.
 */
import type { Config } from '../config/env.ts';
import { modelLocationsOf } from '../config/paths.ts';
import { intakeErrorFrom } from './errors.ts';
import type { DecodedImage } from './image.ts';
import type { DecodeLimits } from './raster.ts';
import type { ModelRegistry } from './registry.ts';
import { loadModelRegistry } from './registry-files.ts';
import { enqueueTracked, jobIdOf } from '../queue/bookkeeping.ts';
import type { JobPayload } from '../queue/job-queue.ts';
import type { Runtime } from '../runtime.ts';

export const IMAGE_TRIAGE_JOB = 'image-triage';

export interface ImageTriagePayload extends JobPayload {
  readonly imageId: string;
}

const registries = new Map<string, Promise<ModelRegistry>>();

/**
 * The image models under the configured models folder, loaded once per process (one ONNX session per model,
 * reused by every job and upload). A failed load is not cached, so fixing the models folder needs no restart.
 */
export function imageModels(config: Config): Promise<ModelRegistry> {
  const dir = modelLocationsOf(config).modelsDir;
  let registry = registries.get(dir);
  if (!registry) {
    registry = loadModelRegistry(dir, { threads: 1 });
    registries.set(dir, registry);
    registry.catch(() => registries.delete(dir));
  }
  return registry;
}

/** The configured decode bounds (pixel count, decompressed bytes); callers set `maxBytes` for their input. */
export const imageDecodeLimits = (config: Pick<Config, 'CLINOTE_IMAGE_MAX_PIXELS' | 'CLINOTE_IMAGE_MAX_DECODED'>): Omit<DecodeLimits, 'maxBytes'> => ({
  maxPixels: config.CLINOTE_IMAGE_MAX_PIXELS,
  maxDecodedBytes: config.CLINOTE_IMAGE_MAX_DECODED,
});

/**
 * Decodes an upload or a stored image on the compute pool (off the thread serving HTTP), within the configured
 * bounds and `maxBytes`; refusals come back as the typed intake errors the API maps to 4xx problems.
 */
export async function decodeImageOffThread(runtime: Pick<Runtime, 'compute' | 'config'>, bytes: Uint8Array, maxBytes: number): Promise<DecodedImage> {
  const result = await runtime.compute.runTask('decode-image', { bytes, limits: { ...imageDecodeLimits(runtime.config), maxBytes } });
  if ('refused' in result) throw intakeErrorFrom(result.refused);
  return result.image;
}

/**
 * The installed models as `id@version` keys. Job ids carry them, so installing a new model version gives
 * every image a new job (BullMQ keeps finished job ids and would drop a re-enqueue under the old one).
 */
export const installedModelKeys = (registry: ModelRegistry) => registry.models.map((m) => `${m.manifest.id}@${m.manifest.version}`);

export const imageTriageJobId = (imageId: string, registry: ModelRegistry) =>
  jobIdOf(IMAGE_TRIAGE_JOB, imageId, installedModelKeys(registry).join('+'));

export async function enqueueImageTriage(runtime: Runtime, imageId: string, requestId: string | null): Promise<string> {
  const id = imageTriageJobId(imageId, await imageModels(runtime.config));
  return enqueueTracked(runtime, { name: IMAGE_TRIAGE_JOB, id, payload: { imageId, requestId } satisfies ImageTriagePayload }, { type: 'image', id: imageId });
}
