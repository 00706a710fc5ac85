/**
 * The note-pipeline job's definition: name, payload, deterministic id, version and enqueue. Routes, CLI commands and
 * the reconciler enqueue through here; the handler that runs it lives in `workers/note-pipeline.ts`.
 */
import { STRUCTURE_SCHEMA_VERSION } from './structuring/schema.ts';
import { pipelineVersionOf } from './pipeline.ts';
import { enqueueTracked, jobIdOf } from '../queue/bookkeeping.ts';
import type { JobPayload } from '../queue/job-queue.ts';
import type { Runtime } from '../runtime.ts';

export const NOTE_PIPELINE_JOB = 'note-pipeline';

/** Names and versions of the stages in order, known without building them (the API stamps new notes with it). */
export const noteStageVersions = {
  structure: { name: 'structure', version: STRUCTURE_SCHEMA_VERSION },
  codes: { name: 'codes', version: '2' },
  index: { name: 'index', version: '1' },
} as const;

export const NOTE_PIPELINE_VERSION = pipelineVersionOf(Object.values(noteStageVersions));

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
