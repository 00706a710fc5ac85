import type { StructuredNote } from './noteContext.ts';
import { suggestCodes, type Suggestion } from './suggest.ts';
import { activeVersion } from './versions.ts';

/** The suggestions stored on a note (and returned for ad-hoc text), with the versions that made them. */
export interface NoteCodes {
  codeSetVersion: string;
  rankerVersion: string | null;
  suggestions: Suggestion[];
}

/** Suggests codes for a note's text, using its structured form for context when there is one. */
export function codeNote(text: string, structured?: StructuredNote, top = 20): NoteCodes {
  const version = activeVersion();
  const suggestions = suggestCodes({ text, structured }, { top, version });
  return { codeSetVersion: version, rankerVersion: suggestions[0]?.rankerVersion ?? null, suggestions };
}
