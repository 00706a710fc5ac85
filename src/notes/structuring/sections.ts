/**
 * Section detection: headers on their own line ("PHYSICAL EXAMINATION", "Allergies:"), inline headers
 * ("HPI: 45-year-old…", MTSamples' "PLAN:, Follow up…"), each mapped onto the canonical section set; text
 * before the first header, or a note with no headers at all, is split into paragraphs classified by content.
 */
import { lexicons } from './lexicons.ts';
import { classifySectionContent } from './section-classifier.ts';
import { sectionTypeForHeader, type SectionType } from './section-catalog.ts';
import type { SectionSpan } from './document.ts';
import { splitSentences } from '../../text/sentences.ts';
import { matchKey, tokenize } from '../../text/tokens.ts';

interface HeaderHit {
  type: SectionType;
  headerStart: number;
  headerEnd: number;
}

/** Section type named by a header's wording: keyword rules first, then the medspaCy-derived header list. */
export function headerType(header: string): SectionType | null {
  return sectionTypeForHeader(header) ?? lexicons().sectionHeaders.get(matchKey(header)) ?? null;
}

const bulletPrefix = /^[ \t]*(?:[•*·▪-]|\d{1,2}[.)])[ \t]*/;

function isAllCaps(s: string): boolean {
  return /[A-Z]/.test(s) && s === s.toUpperCase();
}

/** Headers written on a line of their own, with or without a colon. */
function lineHeaders(text: string): HeaderHit[] {
  const hits: HeaderHit[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const bullet = bulletPrefix.exec(line);
    if (!bullet) {
      const trimmed = line.trim();
      const words = trimmed.replace(/:$/, '').split(/\s+/).length;
      const wordsOnly = /^[A-Za-z][A-Za-z /&'()-]*:?$/.test(trimmed);
      if (wordsOnly && trimmed.length <= 60 && (trimmed.endsWith(':') || isAllCaps(trimmed) || words <= 4)) {
        const type = headerType(trimmed.replace(/:$/, ''));
        if (type) {
          const offset = lineStart + line.indexOf(trimmed);
          hits.push({ type, headerStart: offset, headerEnd: offset + trimmed.length });
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return hits;
}

// "Header:" at a line start or after a sentence end; after a comma only in capitals (MTSamples style).
const inlineHeader = /(^[ \t]*|\n[ \t]*|[.!?]\s+|,\s*)([A-Za-z][A-Za-z/&' -]{0,50}?)\s*:(?!\d)/g;

function inlineHeaders(text: string): HeaderHit[] {
  const hits: HeaderHit[] = [];
  for (const m of text.matchAll(inlineHeader)) {
    const [, lead, candidate] = m;
    const name = candidate!.trim();
    const words = name.split(/\s+/).length;
    // Mixed-case "Header:" only at a line start or after a sentence end ("… (rash). Current meds: …"), and
    // short; after a comma, headers must be in capitals.
    const atLineStart = m.index === 0 || lead!.includes('\n');
    const afterSentence = /^[.!?]/.test(lead!);
    if (isAllCaps(name) ? words > 6 : !(atLineStart || (afterSentence && words <= 3)) || words > 4) continue;
    const start = m.index + lead!.length + candidate!.indexOf(name);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    // "• Medical Treatment:" labels a bullet inside a section; it does not start one.
    if (bulletPrefix.test(text.slice(lineStart, start + 1)) && text.slice(lineStart, start).trim().length > 0) continue;
    const type = headerType(name);
    if (!type) continue;
    const colon = text.indexOf(':', start + name.length);
    hits.push({ type, headerStart: start, headerEnd: colon + 1 });
  }
  return hits;
}

function paragraphs(text: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /\n[ \t]*\n/g;
  re.lastIndex = from;
  let start = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m.index < to) {
    out.push([start, m.index]);
    start = m.index + m[0].length;
  }
  out.push([start, to]);
  return out.filter(([a, b]) => text.slice(a, b).trim().length > 0);
}

/** Unheaded text, paragraph by paragraph, typed by content; neighbouring paragraphs of one type merge. */
function contentSections(text: string, from: number, to: number): Array<Omit<SectionSpan, 'id'>> {
  const out: Array<Omit<SectionSpan, 'id'>> = [];
  for (const [a, b] of paragraphs(text, from, to)) {
    const prediction = classifySectionContent(text.slice(a, b));
    const start = a + (text.slice(a, b).length - text.slice(a, b).trimStart().length);
    const previous = out[out.length - 1];
    if (previous && previous.type === prediction.type) {
      previous.end = b;
      previous.confidence = Math.min(previous.confidence, prediction.confidence);
    } else {
      out.push({ type: prediction.type, headerStart: null, headerEnd: null, start, end: b, confidence: prediction.confidence });
    }
  }
  return out;
}

/** For a header followed by text on its own line, the end of that first sentence; otherwise `end`. */
function inlineListEnd(text: string, headerEnd: number, end: number): number {
  const lineEnd = text.indexOf('\n', headerEnd);
  const firstLine = text.slice(headerEnd, lineEnd < 0 || lineEnd > end ? end : lineEnd);
  if (firstLine.trim() === '') return end;
  const [first, second] = splitSentences(firstLine, tokenize(firstLine));
  return second ? headerEnd + first!.end : end;
}

/** The sections of a note, in order, covering the text from the first non-blank character. */
export function detectSections(text: string): SectionSpan[] {
  const byStart = new Map<number, HeaderHit>();
  for (const hit of [...lineHeaders(text), ...inlineHeaders(text)]) {
    const existing = byStart.get(hit.headerStart);
    if (!existing || hit.headerEnd > existing.headerEnd) byStart.set(hit.headerStart, hit);
  }
  const hits = [...byStart.values()].sort((a, b) => a.headerStart - b.headerStart);
  const sections: Array<Omit<SectionSpan, 'id'>> = [];
  const firstHeader = hits[0]?.headerStart ?? text.length;
  sections.push(...contentSections(text, 0, firstHeader));
  hits.forEach((hit, i) => {
    const end = hits[i + 1]?.headerStart ?? text.length;
    // An inline "Allergies: latex (rash). Hgb 13.9 …" lists allergies in its own sentence only; what follows is typed by content.
    const listEnd = hit.type === 'allergies' ? inlineListEnd(text, hit.headerEnd, end) : end;
    sections.push({ type: hit.type, headerStart: hit.headerStart, headerEnd: hit.headerEnd, start: hit.headerStart, end: listEnd, confidence: 0.95 });
    if (listEnd < end) sections.push(...contentSections(text, listEnd, end));
  });
  // Trailing whitespace does not belong to a section.
  return sections
    .map((s) => ({ ...s, end: s.start + text.slice(s.start, s.end).trimEnd().length }))
    .filter((s) => s.end > s.start)
    .map((s, i) => ({ id: `s${i + 1}`, ...s }));
}
