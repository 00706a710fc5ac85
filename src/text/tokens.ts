/**
 * Tokens, match keys and sentences for note structuring. Every token keeps its character offsets into the
 * text it came from, so every extracted item can point back at the words behind it.
 *
 * One normalisation (`normalizeWord`) is used on both sides of every lexicon lookup: the lexicon build script
 * normalises terms with it and the extractors normalise note text with it, so the two always agree.
 */

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

// Words (with an inner apostrophe for possessives and contractions), numbers with decimals, single symbols.
const tokenPattern = /[\p{L}][\p{L}\p{M}]*(?:['’][\p{L}]+)*|\d+(?:\.\d+)?|[^\s\p{L}\d]/gu;

function fold(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * Maps inflected variants onto one key ("fevers"/"fever", "denies"/"deny", "mother's"/"mother").
 * Deliberately shallow: it must only be consistent, never produce linguistic roots, and must leave short
 * words and abbreviations alone.
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
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ss|us|is|ous)$/.test(w)) return w;
  if (/(ches|shes|xes|sses)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function isLetter(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return /\p{L}/u.test(c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    const surface = match[0];
    const first = surface.charCodeAt(0);
    // The pattern only yields words (starting with a letter), numbers (a digit) or single symbols.
    const kind: TokenKind = first >= 48 && first <= 57 ? 'number' : surface.length > 1 || isLetter(surface) ? 'word' : 'punct';
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
 * Splits a token stream into sentences: on sentence-final punctuation followed by a capital, digit or line
 * break, on semicolons, on blank lines, and on line breaks that start a new list item or follow a line that
 * is complete on its own (clinical notes put one item per line far more often than they wrap prose).
 */
export function splitSentences(text: string, tokens: ReadonlyArray<Token>): Sentence[] {
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
    if (token.kind === 'punct' && (token.text === '.' || token.text === '?' || token.text === '!')) {
      if (periodEndsSentence(text, tokens, i)) close(i + 1);
      continue;
    }
    if (token.text === ';') {
      close(i + 1);
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
