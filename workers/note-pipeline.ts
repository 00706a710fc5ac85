import type { NotePipelinePayload } from '../src/notes/jobs.ts';
import { processNote } from '../src/notes/service.ts';
import type { NotePipelineStage } from '../src/notes/stage-service.ts';
import type { JobHandler } from '../src/queue/job-queue.ts';
import type { Runtime } from '../src/runtime.ts';

/** Runs the note's stages (`processNote`: idempotent, so a duplicate or resumed job changes nothing) and logs the outcome. */
export function notePipelineHandler(runtime: Runtime, stages: readonly NotePipelineStage[]): JobHandler<NotePipelinePayload> {
  return async (payload, context) => {
    const log = runtime.logger.child({ jobId: context.jobId, noteId: payload.noteId, requestId: payload.requestId });
    if ((await processNote(runtime.db, payload.noteId, stages, { final: context.final })) === 'skipped') {
      log.debug('note gone or already processed; nothing to do');
      return;
    }
    log.info({ attempt: context.attempt }, 'note processed');
  };
}
