import { structureFromJson } from '../../notes/structure.ts';
import type { CodingSetting } from '../../coding/icd10/guidelines/setting.ts';
import { codeNote, type NoteCodes } from '../../coding/icd10/note-codes.ts';

export interface CodeNoteInput {
  readonly text: string;
  /** The structuring stage's output as JSON text (parsed here, on the pool thread). */
  readonly structureJson?: string;
  /** Care setting the note is coded for (default outpatient). */
  readonly setting?: CodingSetting;
}

/** The note-coding stage's work: ranked ICD-10-CM suggestions with their evidence. */
export function codeNoteTask(input: CodeNoteInput): NoteCodes {
  const structure = input.structureJson === undefined ? undefined : structureFromJson(input.structureJson);
  return codeNote(input.text, structure, undefined, input.setting);
}
