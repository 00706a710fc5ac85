import { codeNote } from '../src/icd10/note-codes.ts';
import type { NoteStage } from '../src/notes/pipeline.ts';
import { pipelineVersionOf } from '../src/notes/pipeline.ts';
import type { Runtime } from '../src/runtime.ts';

/** Names and versions of the stages, known without building them (the API stamps new notes with it). */
const stageVersions = {
  codes: { name: 'codes', version: '1' },
} as const;

export const NOTE_PIPELINE_VERSION = pipelineVersionOf(Object.values(stageVersions));

/** The note stages in order, bound to this process's runtime (models, database). */
export function buildNoteStages(_runtime: Runtime): NoteStage[] {
  return [
    {
      ...stageVersions.codes,
      run: async (note, earlier) => codeNote(note.text, earlier.structure as Parameters<typeof codeNote>[1]),
    },
  ];
}
