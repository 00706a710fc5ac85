/**
 * Longest-match phrase lookup over a token stream. Phrases are stored under their match key (token norms
 * joined by spaces, hyphens and articles dropped; see `matchKey`), so "CHEST-PAIN", "chest pains" and
 * "the chest pain" all find "chest pain".
 */
import { isSkippable, type Token } from './text.ts';

export interface PhraseMatch<T> {
  value: T;
  key: string;
  /** Token indices (into the document token array) of the first and one-past-last matched token. */
  firstToken: number;
  endToken: number;
  start: number;
  end: number;
}

export class PhraseIndex<T> {
  private readonly phrases = new Map<string, T>();
  private readonly firstWords = new Set<string>();
  private maxTokens = 1;

  constructor(
    entries: Iterable<[string, T]>,
    /** Entries for which only an all-capitals surface counts (abbreviations that are also ordinary words). */
    private readonly needsCapitals: (value: T) => boolean = () => false,
  ) {
    for (const [key, value] of entries) {
      if (!key || this.phrases.has(key)) continue;
      this.phrases.set(key, value);
      const words = key.split(' ');
      this.firstWords.add(words[0]!);
      if (words.length > this.maxTokens) this.maxTokens = words.length;
    }
  }

  get size(): number {
    return this.phrases.size;
  }

  get(key: string): T | undefined {
    return this.phrases.get(key);
  }

  /** The longest phrase starting at token `from` (skippable tokens are not starts), or null. */
  matchAt(tokens: ReadonlyArray<Token>, from: number, limit = tokens.length): PhraseMatch<T> | null {
    const first = tokens[from];
    if (!first || isSkippable(first) || !this.firstWords.has(first.norm)) return null;
    const positions: number[] = [];
    for (let i = from; i < limit && positions.length < this.maxTokens; i++) {
      if (!isSkippable(tokens[i]!)) positions.push(i);
    }
    let key = '';
    const keys: string[] = [];
    for (const p of positions) {
      key = key ? `${key} ${tokens[p]!.norm}` : tokens[p]!.norm;
      keys.push(key);
    }
    for (let n = keys.length; n >= 1; n--) {
      const value = this.phrases.get(keys[n - 1]!);
      if (value === undefined) continue;
      const last = positions[n - 1]!;
      if (this.needsCapitals(value) && !isCapitalised(tokens, from, last + 1)) continue;
      return { value, key: keys[n - 1]!, firstToken: from, endToken: last + 1, start: first.start, end: tokens[last]!.end };
    }
    return null;
  }

  /** Non-overlapping longest matches, left to right, within tokens [from, to). */
  matchAll(tokens: ReadonlyArray<Token>, from = 0, to = tokens.length): PhraseMatch<T>[] {
    const matches: PhraseMatch<T>[] = [];
    for (let i = from; i < to; ) {
      const match = this.matchAt(tokens, i, to);
      if (match) {
        matches.push(match);
        i = match.endToken;
      } else i++;
    }
    return matches;
  }
}

function isCapitalised(tokens: ReadonlyArray<Token>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word' && t.text !== t.text.toUpperCase()) return false;
  }
  return true;
}
