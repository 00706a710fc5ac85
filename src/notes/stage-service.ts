import { llmConfigFromEnv } from './structuring/llm.ts';
import { settingForNoteKind } from '../coding/icd10/guidelines/setting.ts';
import { noteStageVersions as stageVersions } from './jobs.ts';
import { JsonText, type AnyNoteStage } from './pipeline.ts';
import type { Runtime } from '../runtime.ts';
import { runHistoryIndexStage, type NoteIndexSummary } from '../history/index-stage-service.ts';
import type { StructuredNote } from './structuring/schema.ts';
import type { NoteCodes } from '../coding/icd10/note-codes.ts';

/** What each note stage returns, by stage name: the results record stored on the note. */
export interface NoteStageResults {
  structure: JsonText<StructuredNote>;
  codes: NoteCodes;
  index: NoteIndexSummary;
}

export type NotePipelineStage = AnyNoteStage<NoteStageResults>;

/** The note stages in order, bound to this process's runtime; their CPU-heavy work runs on the compute pool. */
export function buildNoteStages(runtime: Runtime): NotePipelineStage[] {
  const llm = llmConfigFromEnv(runtime.config);
  return [
    {
      ...stageVersions.structure,
      async run(note) {
        const { structureJson, llmError } = await runtime.compute.runTask('structure-note', { text: note.text, source: note.source, llm });
        if (llmError) runtime.logger.warn({ noteId: note.id, error: llmError.name, message: llmError.message.slice(0, 200) }, 'LLM structuring pass failed; on-device result kept');
        return new JsonText<StructuredNote>(structureJson);
      },
    },
    {
      ...stageVersions.codes,
      run: (note, earlier) =>
        runtime.compute.runTask('code-note', {
          text: note.text,
          structureJson: earlier.structure?.json,
          setting: note.setting ?? settingForNoteKind(note.kind),
        }),
    },
    { ...stageVersions.index, run: (note, earlier) => runHistoryIndexStage(runtime, note, earlier) },
  ];
}
