import type { NoteStage } from '../src/notes/pipeline.ts';
import { pipelineVersionOf } from '../src/notes/pipeline.ts';
import type { Runtime } from '../src/runtime.ts';

/** Names and versions of the stages, known without building them (the API stamps new notes with it). */
const stageVersions = [{ name: 'received', version: '1' }] as const;

export const NOTE_PIPELINE_VERSION = pipelineVersionOf(stageVersions);

/** The note stages, bound to this process's runtime (models, database). */
export function buildNoteStages(_runtime: Runtime): NoteStage[] {
  return [
    {
      ...stageVersions[0],
      run: async (note) => ({ characters: note.text.length }),
    },
  ];
}
