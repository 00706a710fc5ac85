import type { StructuredNote } from '../../clinical/index.ts';
import { codeNote, type NoteCodes } from '../../icd10/note-codes.ts';

export interface CodeNoteInput {
  readonly text: string;
  readonly structure?: StructuredNote;
}

/** The note-coding stage's work: ranked ICD-10-CM suggestions with their evidence. */
export function codeNoteTask(input: CodeNoteInput): NoteCodes {
  return codeNote(input.text, input.structure);
}
