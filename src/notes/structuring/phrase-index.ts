/**
 * Longest-match phrase lookup over a token stream. Phrases are stored under their match key (token norms
 * joined by spaces, hyphens and articles dropped; see `matchKey`), so "CHEST-PAIN", "chest pains" and
 * "the chest pain" all find "chest pain".
 *
 * The phrases form a word trie whose edges are numeric (node id × word id), so matching allocates nothing per
 * token: word ids come from one vocabulary shared by every index, and a token's id is looked up once.
 */
import { isSkippable, type Token } from '../../text/tokens.ts';

export interface PhraseMatch<T> {
  value: T;
  /** Token indices (into the document token array) of the first and one-past-last matched token. */
  firstToken: number;
  endToken: number;
  /** Number of words in the phrase (skipped hyphens and articles not counted). */
  words: number;
  start: number;
  end: number;
}

const vocabulary = new Map<string, number>();
const unknownWord = -1;
// Edge keys are node × wordSpace + word; both stay far below 2^53.
const wordSpace = 2 ** 22;

function internWord(norm: string): number {
  let id = vocabulary.get(norm);
  if (id === undefined) {
    id = vocabulary.size;
    if (id >= wordSpace) throw new Error('Phrase vocabulary exceeds its id space');
    vocabulary.set(norm, id);
  }
  return id;
}

// Word ids of a token array, computed once per array (a note's tokens are matched by several indexes).
const wordIdCache = new WeakMap<ReadonlyArray<Token>, { size: number; ids: Int32Array }>();

function wordIdsOf(tokens: ReadonlyArray<Token>): Int32Array {
  const cached = wordIdCache.get(tokens);
  if (cached && cached.size === vocabulary.size) return cached.ids;
  const ids = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) ids[i] = vocabulary.get(tokens[i]!.norm) ?? unknownWord;
  wordIdCache.set(tokens, { size: vocabulary.size, ids });
  return ids;
}

export class PhraseIndex<T> {
  private readonly edges = new Map<number, number>();
  private readonly values = new Map<number, T>();
  private nodes = 1;

  constructor(
    entries: Iterable<[string, T]>,
    /** Entries for which only an all-capitals surface counts (abbreviations that are also ordinary words). */
    private readonly needsCapitals: (value: T) => boolean = () => false,
  ) {
    for (const [key, value] of entries) {
      if (!key) continue;
      let node = 0;
      for (const word of key.split(' ')) {
        const edge = node * wordSpace + internWord(word);
        let next = this.edges.get(edge);
        if (next === undefined) {
          next = this.nodes++;
          this.edges.set(edge, next);
        }
        node = next;
      }
      if (!this.values.has(node)) this.values.set(node, value);
    }
  }

  get size(): number {
    return this.values.size;
  }

  /** The longest phrase starting at token `from` (skippable tokens are not starts), or null. */
  matchAt(tokens: ReadonlyArray<Token>, from: number, limit = tokens.length): PhraseMatch<T> | null {
    return this.longestFrom(tokens, wordIdsOf(tokens), from, limit);
  }

  /** Non-overlapping longest matches, left to right, within tokens [from, to). */
  matchAll(tokens: ReadonlyArray<Token>, from = 0, to = tokens.length): PhraseMatch<T>[] {
    const ids = wordIdsOf(tokens);
    const matches: PhraseMatch<T>[] = [];
    for (let i = from; i < to; ) {
      const match = this.longestFrom(tokens, ids, i, to);
      if (match) {
        matches.push(match);
        i = match.endToken;
      } else i++;
    }
    return matches;
  }

  private longestFrom(tokens: ReadonlyArray<Token>, ids: Int32Array, from: number, limit: number): PhraseMatch<T> | null {
    const first = tokens[from];
    if (!first || ids[from] === unknownWord || isSkippable(first)) return null;
    let node = 0;
    let words = 0;
    let best: PhraseMatch<T> | null = null;
    for (let i = from; i < limit; i++) {
      const token = tokens[i]!;
      if (i > from && isSkippable(token)) continue;
      const word = ids[i]!;
      if (word === unknownWord) break;
      const next = this.edges.get(node * wordSpace + word);
      if (next === undefined) break;
      node = next;
      words++;
      const value = this.values.get(node);
      if (value !== undefined && (!this.needsCapitals(value) || isCapitalised(tokens, from, i + 1))) {
        best = { value, firstToken: from, endToken: i + 1, words, start: first.start, end: token.end };
      }
    }
    return best;
  }
}

function isCapitalised(tokens: ReadonlyArray<Token>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word' && t.text !== t.text.toUpperCase()) return false;
  }
  return true;
}
