import type { ImageTriagePayload } from '../src/imaging/jobs.ts';
import { imagingPorts } from '../src/imaging/service.ts';
import { runImageTriage } from '../src/imaging/triage-service.ts';
import type { JobHandler } from '../src/queue/job-queue.ts';
import type { Runtime } from '../src/runtime.ts';

/** Runs the image's triage (src/imaging/triage-service.ts, idempotent) and logs what it did. */
export function imageTriageHandler(runtime: Runtime): JobHandler<ImageTriagePayload> {
  const ports = imagingPorts(runtime);
  return async (payload, context) => {
    const log = runtime.logger.child({ jobId: context.jobId, imageId: payload.imageId, requestId: payload.requestId });
    const outcome = await runImageTriage(ports, payload.imageId, context.final);
    if (outcome.done === 'nothing') {
      log.debug(`${outcome.why}; nothing to do`);
      return;
    }
    // Ids, model and timing only: the score and priority are clinical data and stay out of the logs.
    log.info({ model: `${outcome.modelId}@${outcome.modelVersion}`, ms: Math.round(outcome.elapsedMs), attempt: context.attempt }, 'image triaged');
  };
}
