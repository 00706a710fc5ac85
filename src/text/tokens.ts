/**
 * The one tokenizer. Every token keeps its character offsets into the text it came from, so every extracted item
 * can point back at the words behind it.
 *
 * One normalisation (`normalizeWord`) is used on both sides of every lexicon lookup: the lexicon build script
 * normalises terms with it and the extractors normalise note text with it, so the two always agree.
 */
import { fold } from './fold.ts';
import { stem } from './stem.ts';

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  /** The surface text exactly as written. */
  text: string;
  /** Lowercased, possessive-free, lightly de-inflected form used for lexicon lookups. */
  norm: string;
  kind: TokenKind;
  start: number;
  end: number;
}

/**
 * What a token is:
 * - `prose` (the default, for structuring and sentence splitting): words with an inner apostrophe for possessives
 *   and contractions ("mother's"), numbers with decimals ("7.5"), and every other symbol as a token of its own.
 * - `alphanumeric` (for matching words against code titles): maximal runs of letters and digits ("t2dm", "mother",
 *   "s", "7", "5"); symbols and whitespace only separate them.
 */
export type TokenStyle = 'prose' | 'alphanumeric';

const tokenPatterns: Readonly<Record<TokenStyle, RegExp>> = {
  prose: /[\p{L}][\p{L}\p{M}]*(?:['’][\p{L}]+)*|\d+(?:\.\d+)?|[^\s\p{L}\d]/gu,
  alphanumeric: /[\p{L}\p{N}]+/gu,
};

/**
 * Maps inflected variants onto one key ("fevers"/"fever", "denies"/"deny", "mother's"/"mother"): folded, without
 * a possessive, plural endings stripped (see stem.ts).
 */
export function normalizeWord(word: string): string {
  let cached = normCache.get(word);
  if (cached === undefined) {
    cached = computeNorm(word);
    // Notes reuse a small vocabulary; the cache is bounded so odd inputs cannot grow it without limit.
    if (normCache.size >= maxCachedNorms) normCache.clear();
    normCache.set(word, cached);
  }
  return cached;
}

const normCache = new Map<string, string>();
const maxCachedNorms = 100_000;

function computeNorm(word: string): string {
  let w = fold(word).replace(/’/g, "'");
  if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("'")) w = w.slice(0, -1);
  return stem(w, 'plural');
}

function isLetter(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return /\p{L}/u.test(c);
}

export function tokenize(text: string, style: TokenStyle = 'prose'): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPatterns[style])) {
    const surface = match[0];
    const first = surface.charCodeAt(0);
    // Prose tokens are words (starting with a letter), numbers (a digit) or single symbols; alphanumeric runs are
    // numbers when they start with a digit and words otherwise.
    const kind: TokenKind =
      first >= 48 && first <= 57 ? 'number' : style === 'alphanumeric' || surface.length > 1 || isLetter(surface) ? 'word' : 'punct';
    tokens.push({
      text: surface,
      norm: kind === 'word' ? normalizeWord(surface) : surface,
      kind,
      start: match.index,
      end: match.index + surface.length,
    });
  }
  return tokens;
}

/** Tokens a phrase may skip over without changing its meaning: hyphens and articles. */
export function isSkippable(token: Token): boolean {
  return token.text === '-' || token.norm === 'the' || token.norm === 'a' || token.norm === 'an';
}

/** The lookup key of a phrase: its non-skippable token norms joined by spaces. */
export function matchKey(text: string): string {
  return tokenize(text)
    .filter((t) => !isSkippable(t))
    .map((t) => t.norm)
    .join(' ');
}

/** Index of the first token starting at or after a character offset (binary search). */
export function tokenIndexAt(tokens: ReadonlyArray<Pick<Token, 'start'>>, offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
