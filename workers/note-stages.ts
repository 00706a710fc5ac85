import { llmConfigFromEnv, STRUCTURE_SCHEMA_VERSION, type StructuredNote } from '../src/clinical/index.ts';
import { codeNote } from '../src/icd10/note-codes.ts';
import type { NoteStage } from '../src/notes/pipeline.ts';
import { pipelineVersionOf } from '../src/notes/pipeline.ts';
import { structureText } from '../src/notes/structure.ts';
import type { Runtime } from '../src/runtime.ts';
import { runHistoryIndexStage } from './history-index.ts';

/** Names and versions of the stages in order, known without building them (the API stamps new notes with it). */
const stageVersions = {
  structure: { name: 'structure', version: STRUCTURE_SCHEMA_VERSION },
  codes: { name: 'codes', version: '1' },
  index: { name: 'index', version: '1' },
} as const;

export const NOTE_PIPELINE_VERSION = pipelineVersionOf(Object.values(stageVersions));

/** The note stages in order, bound to this process's runtime (models, database). */
export function buildNoteStages(runtime: Runtime): NoteStage[] {
  const llm = llmConfigFromEnv(runtime.config);
  return [
    {
      ...stageVersions.structure,
      run: (note) =>
        structureText(note.text, note.source, llm, (error) =>
          runtime.logger.warn({ noteId: note.id, error: error.name, message: error.message.slice(0, 200) }, 'LLM structuring pass failed; on-device result kept'),
        ),
    },
    {
      ...stageVersions.codes,
      run: async (note, earlier) => codeNote(note.text, earlier.structure as StructuredNote | undefined),
    },
    { ...stageVersions.index, run: (note, earlier) => runHistoryIndexStage(runtime, note, earlier) },
  ];
}
