import type { CodingSetting } from './guidelines/setting.ts';
import type { StructuredNote } from './note-context.ts';
import { suggestCodes, type Suggestion } from './suggest.ts';
import { activeVersion } from './versions.ts';

/** The suggestions stored on a note (and returned for ad-hoc text), with the versions and setting that made them. */
export interface NoteCodes {
  codeSetVersion: string;
  rankerVersion: string | null;
  /** The care setting the note was coded for (uncertain diagnoses follow it). */
  setting: CodingSetting;
  suggestions: Suggestion[];
}

/** Suggests codes for a note's text under the Official Guidelines, using its structured form for context when there is one. */
export function codeNote(text: string, structured?: StructuredNote, top = 20, setting: CodingSetting = 'outpatient'): NoteCodes {
  const version = activeVersion();
  const suggestions = suggestCodes({ text, structured }, { top, version, setting });
  return { codeSetVersion: version, rankerVersion: suggestions[0]?.rankerVersion ?? null, setting, suggestions };
}
