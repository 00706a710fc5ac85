/**
 * A note prepared for extraction: its tokens, sentences and sections, plus per-sentence caches the extractors
 * share (ConText trigger matches are computed once per sentence, however many mentions it holds).
 */
import type { PhraseMatch } from './phrase-index.ts';
import type { TriggerRecord } from './lexicon-format.ts';
import type { SectionType } from './section-catalog.ts';
import { sentenceAt, splitSentences, type Sentence } from '../../text/sentences.ts';
import { tokenize, type Token } from '../../text/tokens.ts';

export interface SectionSpan {
  id: string;
  type: SectionType;
  /** Header offsets, or null for an unheaded stretch classified by content. */
  headerStart: number | null;
  headerEnd: number | null;
  start: number;
  end: number;
  confidence: number;
}

export class NoteDocument {
  readonly tokens: Token[];
  readonly sentences: Sentence[];
  sections: SectionSpan[] = [];
  private readonly triggerCache = new Map<number, PhraseMatch<TriggerRecord>[]>();

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
    this.sentences = splitSentences(text, this.tokens);
  }

  sentenceIndexAt(offset: number): number {
    return sentenceAt(this.sentences, offset);
  }

  /** The section containing an offset, or null before the first section. */
  sectionAt(offset: number): SectionSpan | null {
    let lo = 0;
    let hi = this.sections.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.sections[mid]!;
      if (offset < s.start) hi = mid - 1;
      else if (offset >= s.end) lo = mid + 1;
      else return s;
    }
    return null;
  }

  /** True when an offset lies inside a section header (headers are not findings). */
  inHeader(offset: number): boolean {
    const s = this.sectionAt(offset);
    return !!s && s.headerStart !== null && offset >= s.headerStart && offset < s.headerEnd!;
  }

  cachedTriggers(sentence: number, compute: () => PhraseMatch<TriggerRecord>[]): PhraseMatch<TriggerRecord>[] {
    let cached = this.triggerCache.get(sentence);
    if (!cached) {
      cached = compute();
      this.triggerCache.set(sentence, cached);
    }
    return cached;
  }
}
