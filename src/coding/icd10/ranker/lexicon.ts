/**
 * The mention lexicon learned from coded notes: for each phrase key, in how many training sentences it
 * occurs, and how many of those occurrences were the evidence for each code. Its estimate of "this phrase
 * means this code" is the share of occurrences that were coded so, which also drops when coders reject it.
 */
import type { Phrase } from '../phrases.ts';

/** Serialized: `[phrase key, sentences containing it, [[code, times it was that code's evidence], …]]`. */
export type LexiconEntry = [key: string, sentences: number, codes: Array<[code: string, count: number]>];

export interface LexiconHit {
  code: string;
  phrase: Phrase;
  /** Times the phrase was the evidence for the code. */
  count: number;
  /** Smoothed share of the phrase's occurrences that were evidence for the code. */
  precision: number;
}

interface Entry {
  sentences: number;
  codes: Map<string, number>;
}

export class MentionLexicon {
  private readonly entries = new Map<string, Entry>();

  constructor(data: ReadonlyArray<LexiconEntry> = []) {
    for (const [key, sentences, codes] of data) this.entries.set(key, { sentences, codes: new Map(codes) });
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records that a phrase occurred in one more sentence. */
  countSentence(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.sentences++;
  }

  /** Records that a phrase was the evidence for a code (`delta` -1 withdraws a count). */
  addMention(key: string, code: string, delta = 1): void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { sentences: 0, codes: new Map() };
      this.entries.set(key, entry);
    }
    const count = Math.max(0, (entry.codes.get(code) ?? 0) + delta);
    if (count === 0) entry.codes.delete(code);
    else entry.codes.set(code, count);
  }

  lookup(phrases: ReadonlyArray<Phrase>): LexiconHit[] {
    const hits: LexiconHit[] = [];
    this.forEachHit(phrases, (code, phrase, count, precision) => hits.push({ code, phrase, count, precision }));
    return hits;
  }

  /** Like `lookup`, without building hit objects (the co-occurrence lexicon yields many per note). */
  forEachHit(phrases: ReadonlyArray<Phrase>, visit: (code: string, phrase: Phrase, count: number, precision: number) => void): void {
    for (const phrase of phrases) {
      const entry = this.entries.get(phrase.key);
      if (!entry) continue;
      let occurrences = entry.sentences;
      for (const count of entry.codes.values()) if (count > occurrences) occurrences = count;
      for (const [code, count] of entry.codes) visit(code, phrase, count, count / (occurrences + 1));
    }
  }

  /** Drops code counts below `minimumCount` (and phrases left with none), keeping the artifact small. */
  prune(minimumCount: number): void {
    for (const [key, entry] of this.entries) {
      for (const [code, count] of entry.codes) if (count < minimumCount) entry.codes.delete(code);
      if (entry.codes.size === 0) this.entries.delete(key);
    }
  }

  toJSON(): LexiconEntry[] {
    return [...this.entries]
      .filter(([, entry]) => entry.codes.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => [key, entry.sentences, [...entry.codes].sort(([a], [b]) => (a < b ? -1 : 1))]);
  }

  clone(): MentionLexicon {
    return new MentionLexicon(this.toJSON());
  }
}
