/**
 * The one sentence splitter, over prose tokens (see tokens.ts).
 */
import type { Token } from './tokens.ts';

export interface Sentence {
  start: number;
  end: number;
  /** Index of the first token of the sentence in the document token array. */
  firstToken: number;
  /** One past the last token of the sentence. */
  endToken: number;
}

// Words whose trailing period does not end a sentence.
const nonFinalAbbreviations = new Set([
  'dr', 'mr', 'mrs', 'ms', 'st', 'vs', 'approx', 'appt', 'dept', 'etc', 'eg', 'ie', 'no', 'pt', 'fig', 'sr', 'jr',
]);

function periodEndsSentence(text: string, tokens: ReadonlyArray<Token>, index: number): boolean {
  const previous = tokens[index - 1];
  const next = tokens[index + 1];
  if (!next) return true;
  // Decimal-like or dotted abbreviations: "p.o.", "b.i.d.", "q.d.".
  if (previous && previous.kind === 'word' && previous.text.length <= 2 && tokens[index - 2]?.text === '.') return false;
  if (previous && previous.kind === 'word' && nonFinalAbbreviations.has(previous.text.toLowerCase())) {
    return /\n/.test(text.slice(tokens[index]!.end, next.start));
  }
  // "a.m.", "e.g." continue the sentence; a letter fused to a number or a unit's slash ("stage 3b.", "15 mL/h.") does not.
  const beforePrevious = tokens[index - 2];
  const fusedToNumber = (beforePrevious?.kind === 'number' || beforePrevious?.text === '/') && beforePrevious.end === previous?.start;
  // "no growth at 48 h. Mucositis …": a one-letter unit after a number ends its sentence too.
  const unitAfterNumber = beforePrevious?.kind === 'number' && /^[hdgLm]$/.test(previous?.text ?? '');
  if (previous && previous.kind === 'word' && previous.text.length === 1 && /[a-z]/.test(previous.text) && !fusedToNumber && !unitAfterNumber) return false;
  const gap = text.slice(tokens[index]!.end, next.start);
  if (gap.length === 0) return false;
  return /^[\p{Lu}\d("'•*\-\[]/u.test(next.text) || /\n/.test(gap);
}

/**
 * How the text lays out its sentences:
 * - `note` (the default, clinical notes): a semicolon ends a sentence, and a line break ends one only as
 *   described at `splitSentences`.
 * - `one-per-line` (what the ICD-10 coder reads: notes and the CodiEsp translations, written one sentence or list
 *   item per line): every line break ends a sentence, and a semicolon only where a capital or digit starts the
 *   next one, since the clauses it joins ("Hb 13.7 g/dl; leukocytes 14,610") belong to one sentence. The coder's
 *   learned lexicon counts its sentences this way.
 */
export type SentenceLayout = 'note' | 'one-per-line';

/**
 * Splits a prose token stream into sentences: on sentence-final punctuation followed by a capital, digit or line
 * break, on semicolons, on blank lines, and on line breaks that start a new list item or follow a line that
 * is complete on its own (clinical notes put one item per line far more often than they wrap prose).
 */
export function splitSentences(text: string, tokens: ReadonlyArray<Token>, layout: SentenceLayout = 'note'): Sentence[] {
  const sentences: Sentence[] = [];
  let first = 0;
  const close = (endToken: number) => {
    if (endToken <= first) return;
    sentences.push({ start: tokens[first]!.start, end: tokens[endToken - 1]!.end, firstToken: first, endToken });
    first = endToken;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (layout === 'one-per-line' && next && countNewlines(text, token.end, next.start) > 0) {
      close(i + 1);
      continue;
    }
    if (token.kind === 'punct' && (token.text === '.' || token.text === '?' || token.text === '!')) {
      if (periodEndsSentence(text, tokens, i)) close(i + 1);
      continue;
    }
    if (token.text === ';') {
      if (layout === 'note' || (next && next.start > token.end && /^[\p{Lu}\d]/u.test(next.text))) close(i + 1);
      continue;
    }
    if (!next) continue;
    const newlines = countNewlines(text, token.end, next.start);
    if (newlines === 0) continue;
    const blankLine = newlines > 1 && /\n[ \t]*\n/.test(text.slice(token.end, next.start));
    const nextStartsItem = /^[\p{Lu}\d•*\-–]/u.test(next.text);
    const lineComplete = token.kind === 'punct' && /[:.)\]]/.test(token.text);
    if (blankLine || nextStartsItem || lineComplete) close(i + 1);
  }
  close(tokens.length);
  return sentences;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Index of the sentence containing a character offset (binary search). */
export function sentenceAt(sentences: ReadonlyArray<Sentence>, offset: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return Math.max(0, Math.min(sentences.length - 1, lo));
}

