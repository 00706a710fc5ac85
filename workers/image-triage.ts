import type { Config } from '../src/config/env.ts';
import { modelLocationsOf } from '../src/config/paths.ts';
import {
  intakeErrorFrom,
  loadModelRegistry,
  renderHeatmap,
  triageImage,
  type DecodedImage,
  type DecodeLimits,
  type ModelRegistry,
} from '../src/imaging/index.ts';
import { enqueueTracked, jobIdOf } from '../src/queue/bookkeeping.ts';
import type { JobHandler, JobPayload } from '../src/queue/job-queue.ts';
import { imageStore } from '../src/repositories/image-store.ts';
import { claimImageForTriage, completeImageTriage, failImageTriage, findImage } from '../src/repositories/images.ts';
import type { Runtime } from '../src/runtime.ts';

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

/**
 * Idempotent: re-reads the image and its stored file, stops if either is gone or the image is already triaged
 * with the model version it would use now; writes the heatmap (content-addressed) before the one update that
 * records the result, so a duplicate or resumed run changes nothing. The result is a triage aid, not a diagnosis.
 */
export function imageTriageHandler(runtime: Runtime): JobHandler<ImageTriagePayload> {
  const store = imageStore(runtime.config.dataDir);
  return async (payload, context) => {
    const log = runtime.logger.child({ jobId: context.jobId, imageId: payload.imageId, requestId: payload.requestId });
    const record = await findImage(runtime.db, payload.imageId);
    if (!record) {
      log.debug('image gone; nothing to do');
      return;
    }
    try {
      const bytes = await store.read(record.storagePath);
      if (!bytes) throw new Error('The stored image file is missing');
      const image = await decodeImageOffThread(runtime, bytes, bytes.length);
      const model = (await imageModels(runtime.config)).select(image);
      const { id: modelId, version: modelVersion } = model.manifest;
      if (!(await claimImageForTriage(runtime.db, record.id, modelId, modelVersion))) {
        log.debug('image gone or already triaged with this model version; nothing to do');
        return;
      }
      const result = await triageImage(image, model);
      const heatmapPath =
        result.priority === 'unreadable'
          ? null
          : await store.putDerived(record.contentSha256, `heatmap.${modelId}@${modelVersion}`, await renderHeatmap(image, model));
      await completeImageTriage(runtime.db, record.id, {
        modelId,
        modelVersion,
        threshold: result.threshold,
        priority: result.priority,
        score: result.score,
        label: result.label,
        probabilities: result.probabilities,
        quality: { ...result.quality },
        heatmapPath,
      });
      // Ids, model and timing only: the score and priority are clinical data and stay out of the logs.
      log.info({ model: `${modelId}@${modelVersion}`, ms: Math.round(result.elapsedMs), attempt: context.attempt }, 'image triaged');
    } catch (error) {
      if (context.final) await failImageTriage(runtime.db, record.id, (error as Error).message.slice(0, 500));
      throw error;
    }
  };
}
