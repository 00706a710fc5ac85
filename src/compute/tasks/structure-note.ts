import type { LlmConfig } from '../../notes/structuring/llm.ts';
import { learnedFinder } from '../../notes/learned-finder-files.ts';
import { structureText, type NoteTextSource } from '../../notes/structure.ts';

export interface StructureNoteInput {
  readonly text: string;
  readonly source: NoteTextSource;
  /** The optional LLM pass (null: on-device only). */
  readonly llm: LlmConfig | null;
}

export interface StructureNoteOutput {
  /**
   * The structure as JSON text: it is stored and handed to the next stages as it is, so the thread serving HTTP
   * never copies or parses its object graph (hundreds of kB for a long note).
   */
  readonly structureJson: string;
  /** Why the LLM pass failed (the on-device result stands); name and message only, never note text. */
  readonly llmError: { name: string; message: string } | null;
}

/** The note-structuring stage's work: on-device structuring with the learned mention finder, plus the optional LLM pass. */
export async function structureNoteTask(input: StructureNoteInput): Promise<StructureNoteOutput> {
  let llmError: StructureNoteOutput['llmError'] = null;
  const structure = await structureText(input.text, input.source, input.llm, await learnedFinder(), (error) => {
    llmError = { name: error.name, message: error.message };
  });
  return { structureJson: JSON.stringify(structure), llmError };
}
