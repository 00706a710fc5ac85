/**
 * Section-aware passage splitting. A note is cut at its section boundaries, then each section into runs of
 * whole sentences of at most `maxChars`; every passage keeps its section and exact offsets into the note, so
 * a search hit can point at the words in the original note. (LangChain's character splitters lose offsets
 * and ignore sections, which is why this is our own.)
 */
import { sectionDefinition, type SectionType } from '../notes/structuring/section-catalog.ts';
import { splitSentences } from '../text/sentences.ts';
import { tokenize } from '../text/tokens.ts';

export interface SectionBounds {
  type: SectionType;
  start: number;
  end: number;
}

export interface Passage {
  /** Position of the passage in its note, from 0. */
  ordinal: number;
  section: SectionType;
  /** Offsets into the note text, end exclusive; `text === note.slice(start, end)`. */
  start: number;
  end: number;
  text: string;
}

export interface SplitOptions {
  /** Longest passage in characters (a longer sentence is cut at a space). Default 600. */
  maxChars?: number;
  /** A section's last passage shorter than this joins the one before when the pair still fits 1.5 × maxChars. Default 120. */
  minChars?: number;
}

interface Span {
  start: number;
  end: number;
}

/** Sentence spans of text[from, to), offsets into text. */
function sentenceSpans(text: string, from: number, to: number): Span[] {
  const slice = text.slice(from, to);
  return splitSentences(slice, tokenize(slice)).map((s) => ({ start: from + s.start, end: from + s.end }));
}

/** Cuts a span longer than maxChars at the last whitespace before the limit (or hard at the limit). */
function cutLong(text: string, span: Span, maxChars: number): Span[] {
  const out: Span[] = [];
  let start = span.start;
  while (span.end - start > maxChars) {
    const window = text.slice(start, start + maxChars);
    const space = window.search(/\s\S*$/);
    let cut = space > maxChars / 2 ? start + space : start + maxChars;
    out.push({ start, end: cut });
    while (cut < span.end && /\s/.test(text[cut]!)) cut++;
    start = cut;
  }
  if (span.end > start) out.push({ start, end: span.end });
  return out;
}

function packSentences(text: string, sentences: Span[], maxChars: number, minChars: number): Span[] {
  const chunks: Span[] = [];
  let current: Span | null = null;
  for (const sentence of sentences.flatMap((s) => cutLong(text, s, maxChars))) {
    if (current && sentence.end - current.start <= maxChars) current.end = sentence.end;
    else {
      if (current) chunks.push(current);
      current = { ...sentence };
    }
  }
  if (current) chunks.push(current);
  const last = chunks[chunks.length - 1];
  const before = chunks[chunks.length - 2];
  if (last && before && last.end - last.start < minChars && last.end - before.start <= maxChars * 1.5) {
    before.end = last.end;
    chunks.pop();
  }
  return chunks;
}

/**
 * Passages of a note in text order. Sections come from note structuring; text they do not cover (before the
 * first section, or a note without any) becomes `other`.
 */
export function splitIntoPassages(text: string, sections: ReadonlyArray<SectionBounds>, options: SplitOptions = {}): Passage[] {
  const maxChars = options.maxChars ?? 600;
  const minChars = options.minChars ?? 120;
  const ordered = [...sections].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const covered: SectionBounds[] = [];
  let position = 0;
  for (const s of ordered) {
    const start = Math.max(s.start, position);
    if (start > position) covered.push({ type: 'other', start: position, end: start });
    if (s.end > start) covered.push({ type: s.type, start, end: Math.min(s.end, text.length) });
    position = Math.max(position, s.end);
  }
  if (position < text.length) covered.push({ type: 'other', start: position, end: text.length });

  const passages: Passage[] = [];
  for (const section of covered) {
    const sentences = sentenceSpans(text, section.start, section.end);
    for (const chunk of packSentences(text, sentences, maxChars, minChars)) {
      passages.push({ ordinal: passages.length, section: section.type, start: chunk.start, end: chunk.end, text: text.slice(chunk.start, chunk.end) });
    }
  }
  return passages;
}

/**
 * What the embedding model sees: the passage, led by its section's title when the passage does not start
 * with a header of its own, so "Plan" context survives in a passage cut from the middle of the plan.
 */
export function embeddingInput(passage: Pick<Passage, 'section' | 'text'>): string {
  if (passage.section === 'other') return passage.text;
  const title = sectionDefinition(passage.section).title;
  return passage.text.toLowerCase().startsWith(title.toLowerCase()) ? passage.text : `${title}: ${passage.text}`;
}
