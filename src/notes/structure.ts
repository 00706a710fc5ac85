import { augmentWithLlm, type LlmConfig } from './structuring/llm.ts';
import type { StructuredNote } from './structuring/schema.ts';
import { structureNote, structureNoteWithLearnedFinder, type LearnedFinder } from './structuring/structure.ts';

export type NoteTextSource = 'typed' | 'dictation' | 'import';

/**
 * On-device structuring (with the learned mention finder when given: the service's default), plus the optional LLM
 * pass when one is configured. The LLM is never required: if it fails, the on-device result stands and `onLlmError`
 * hears why.
 */
export async function structureText(
  text: string,
  source: NoteTextSource,
  llm: LlmConfig | null,
  finder: LearnedFinder | null,
  onLlmError: (error: Error) => void = () => undefined,
): Promise<StructuredNote> {
  const options = { source: source === 'dictation' ? ('dictation' as const) : ('typed' as const) };
  const note = finder ? await structureNoteWithLearnedFinder(text, finder, options) : structureNote(text, options);
  if (!llm) return note;
  try {
    return await augmentWithLlm(text, note, llm);
  } catch (error) {
    onLlmError(error as Error);
    return note;
  }
}

/**
 * The structuring stage's output of this pipeline run, back from its JSON text. Not validated again: it was made
 * by `structureText` in the same run (the LLM's part validated on arrival), see `notes/pipeline.ts`.
 */
export function structureFromJson(json: string): StructuredNote {
  return JSON.parse(json) as StructuredNote;
}
