/**
 * Highlights of a search hit: the words the full-text query matched (as the database's stemmer saw them, so
 * "diabetic" is marked for "diabetes") and the mentions of the query's concepts (synonyms and abbreviations,
 * "DVT" for "deep vein thrombosis"). Offsets are relative to the passage text.
 */
import type { ConceptMention } from './types.ts';

export interface Highlight {
  start: number;
  end: number;
  text: string;
  /** `term`: a query word (or a form of it); `concept`: another name for a query concept. */
  match: 'term' | 'concept';
  /** For concept matches: the concept's name. */
  concept?: string;
}

/** Control characters that cannot occur in stored note text mark the matches in the database's headline. */
export const HEADLINE_START = '\u0002';
export const HEADLINE_STOP = '\u0003';

/**
 * Match spans from a `ts_headline(..., 'HighlightAll=true')` rendering of `text`. Returns none when the
 * rendering is not `text` plus markers (the text held a marker character), rather than wrong offsets.
 */
export function headlineSpans(text: string, marked: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let plain = '';
  let open = -1;
  for (const ch of marked) {
    if (ch === HEADLINE_START) open = plain.length;
    else if (ch === HEADLINE_STOP) {
      if (open >= 0 && plain.length > open) spans.push({ start: open, end: plain.length });
      open = -1;
    } else plain += ch;
  }
  return plain === text ? spans : [];
}

/**
 * Term and concept highlights in text order. A concept mention overlapping a term match keeps the term
 * match's place but names the concept, so one stretch of text is never marked twice.
 */
export function mergeHighlights(
  text: string,
  terms: ReadonlyArray<{ start: number; end: number }>,
  concepts: readonly ConceptMention[],
): Highlight[] {
  const out: Highlight[] = terms.map((t) => ({ start: t.start, end: t.end, text: text.slice(t.start, t.end), match: 'term' }));
  for (const c of concepts) {
    const overlapping = out.filter((h) => h.start < c.end && c.start < h.end);
    if (overlapping.length > 0) {
      for (const h of overlapping) h.concept ??= c.display;
      continue;
    }
    out.push({ start: c.start, end: c.end, text: text.slice(c.start, c.end), match: 'concept', concept: c.display });
  }
  return out.sort((a, b) => a.start - b.start);
}
