import type { JobHandler, JobPayload } from '../src/queue/job-queue.ts';
import { enqueueTracked, jobIdOf } from '../src/queue/bookkeeping.ts';
import { runNoteStages, stageResultsJson, type NoteStage } from '../src/notes/pipeline.ts';
import { claimNoteForProcessing, completeNoteProcessing, failNoteProcessing, findNote } from '../src/repositories/notes.ts';
import type { Runtime } from '../src/runtime.ts';
import { NOTE_PIPELINE_VERSION } from './note-stages.ts';

export const NOTE_PIPELINE_JOB = 'note-pipeline';

export interface NotePipelinePayload extends JobPayload {
  readonly noteId: string;
  readonly pipelineVersion: string;
}

/** One job per note and pipeline version: enqueueing the same pair twice is a no-op. */
export const notePipelineJobId = (noteId: string, version = NOTE_PIPELINE_VERSION) => jobIdOf(NOTE_PIPELINE_JOB, noteId, version);

export function enqueueNotePipeline(runtime: Runtime, noteId: string, requestId: string | null): Promise<string> {
  return enqueueTracked(
    runtime,
    {
      name: NOTE_PIPELINE_JOB,
      id: notePipelineJobId(noteId),
      payload: { noteId, pipelineVersion: NOTE_PIPELINE_VERSION, requestId } satisfies NotePipelinePayload,
    },
    { type: 'note', id: noteId },
  );
}

/**
 * Idempotent: re-reads the note, stops if it is gone or already processed at this version, and
 * writes all stage results in one update, so a duplicate or resumed run changes nothing.
 */
export function notePipelineHandler(runtime: Runtime, stages: readonly NoteStage[]): JobHandler<NotePipelinePayload> {
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
