import { decodeImageOffThread, imageModels, type ImageTriagePayload } from '../src/imaging/jobs.ts';
import { renderHeatmap, triageImage } from '../src/imaging/index.ts';
import type { JobHandler } from '../src/queue/job-queue.ts';
import { imageStore } from '../src/imaging/image-store.ts';
import { claimImageForTriage, completeImageTriage, failImageTriage, findImage } from '../src/imaging/repository.ts';
import type { Runtime } from '../src/runtime.ts';

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
