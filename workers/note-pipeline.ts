import { NOTE_PIPELINE_VERSION, type NotePipelinePayload } from '../src/notes/jobs.ts';
import type { JobHandler } from '../src/queue/job-queue.ts';
import { runNoteStages, stageResultsJson } from '../src/notes/pipeline.ts';
import type { NotePipelineStage } from '../src/notes/stage-service.ts';
import { claimNoteForProcessing, completeNoteProcessing, failNoteProcessing, findNote } from '../src/notes/repository.ts';
import type { Runtime } from '../src/runtime.ts';

/**
 * Idempotent: re-reads the note, stops if it is gone or already processed at this version, and
 * writes all stage results in one update, so a duplicate or resumed run changes nothing.
 */
export function notePipelineHandler(runtime: Runtime, stages: readonly NotePipelineStage[]): JobHandler<NotePipelinePayload> {
  return async (payload, context) => {
    const log = runtime.logger.child({ jobId: context.jobId, noteId: payload.noteId, requestId: payload.requestId });
    if (!(await claimNoteForProcessing(runtime.db, payload.noteId, NOTE_PIPELINE_VERSION))) {
      log.debug('note gone or already processed; nothing to do');
      return;
    }
    const note = await findNote(runtime.db, payload.noteId);
    if (!note) return;
    try {
      const results = await runNoteStages(note, stages);
      await completeNoteProcessing(runtime.db, note.id, NOTE_PIPELINE_VERSION, stageResultsJson(results));
      log.info({ attempt: context.attempt }, 'note processed');
    } catch (error) {
      if (context.final) await failNoteProcessing(runtime.db, note.id, (error as Error).message.slice(0, 500));
      throw error;
    }
  };
}
