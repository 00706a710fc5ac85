/**
 * Document-level consistency for the mention finder's spans: a chemical name the network tagged once is tagged
 * wherever it recurs in the same text, and an abbreviation defined right after a mention, "long form (ABBR)", is a mention of
 * the same type there and wherever it recurs. The network reads a window of 15 tokens, so a later bare "MJD" or
 * "5-FU" can lack the context that made the first one clear.
 */
import { nerTokens, type NerToken } from './tokens.ts';

export interface TokenSpan {
  type: string;
  firstToken: number;
  endToken: number;
  score: number;
}

/** Shortest-form test: a 2–10 character token with a capital, e.g. "MJD", "G6PD", "HbA1c" would be several tokens. */
function looksLikeAbbreviation(token: NerToken): boolean {
  return token.text.length >= 2 && token.text.length <= 10 && /\p{Lu}/u.test(token.text);
}

export function propagateMentions(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>): TokenSpan[] {
  const taken = new Uint8Array(tokens.length);
  const out = [...spans];
  const claim = (s: TokenSpan) => {
    for (let t = s.firstToken; t < s.endToken; t++) taken[t] = 1;
    out.push(s);
  };
  for (const s of spans) for (let t = s.firstToken; t < s.endToken; t++) taken[t] = 1;
  const free = (from: number, to: number) => {
    for (let t = from; t < to; t++) if (taken[t]) return false;
    return true;
  };
  // "long form (ABBR)" right after a mention.
  for (const s of spans) {
    const open = tokens[s.endToken];
    const abbr = tokens[s.endToken + 1];
    const close = tokens[s.endToken + 2];
    if (open?.text === '(' && close?.text === ')' && abbr && looksLikeAbbreviation(abbr) && free(s.endToken + 1, s.endToken + 2)) {
      claim({ type: s.type, firstToken: s.endToken + 1, endToken: s.endToken + 2, score: s.score });
    }
  }
  // Every tagged name, wherever else it recurs as whole tokens (longest names first, so they claim tokens first).
  // Names with a lower-case letter match in any case ("Cisplatin" / "cisplatin"); abbreviations only as written.
  const names = new Map<string, { span: TokenSpan; words: string[]; fold: boolean }>();
  for (const s of [...out].sort((a, b) => b.endToken - b.firstToken - (a.endToken - a.firstToken))) {
    const surface = tokens.slice(s.firstToken, s.endToken).map((t) => t.text);
    if (surface.join('').length < 3) continue; // too short to be unambiguous on its own
    // Disease names are left to the network's reading in each context: they are often ordinary words used in
    // another sense nearby ("depression", "pain"); on both dev sets copying them cost more than it found.
    if (s.type === 'disease') continue;
    const fold = /\p{Ll}/u.test(surface.join(''));
    const words = fold ? surface.map((w) => w.toLowerCase()) : surface;
    const key = words.join('\u0000');
    if (!names.has(key)) names.set(key, { span: s, words, fold });
  }
  const wordAt = (i: number, fold: boolean) => (fold ? tokens[i]!.text.toLowerCase() : tokens[i]!.text);
  for (const { span: s, words, fold } of names.values()) {
    const n = words.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      if (wordAt(i, fold) !== words[0] || !free(i, i + n)) continue;
      let same = true;
      for (let k = 1; k < n && same; k++) same = wordAt(i + k, fold) === words[k];
      // Whole tokens only, and not glued to a neighbouring letter/digit run ("CO" inside "CO2" is two tokens).
      const glued = (a: NerToken | undefined, b: NerToken | undefined) => !!a && !!b && a.end === b.start && /[\p{L}\d]/u.test(a.text + b.text) && /^[\p{L}\d]/u.test(b.text) && /[\p{L}\d]$/u.test(a.text);
      if (same && !glued(tokens[i - 1], tokens[i]) && !glued(tokens[i + n - 1], tokens[i + n])) {
        claim({ type: s.type, firstToken: i, endToken: i + n, score: s.score });
      }
    }
  }
  return out.sort((a, b) => a.firstToken - b.firstToken);
}

/**
 * The long form an abbreviation in parentheses stands for (Schwartz and Hearst 2003): the shortest run of words
 * right before the "(" whose characters contain the abbreviation's letters and digits in order, the first one at
 * the start of a word. `before` is the text before the "("; returns the long form's start offset in it, or -1.
 */
export function longFormStart(before: string, abbreviation: string): number {
  const head = before.trimEnd();
  // Within the clause, and at most min(|A| + 5, 2|A|) words.
  const clause = Math.max(...['. ', '; ', ', ', ': '].map((p) => head.lastIndexOf(p)));
  let from = clause < 0 ? 0 : clause + 2;
  const words = [...head.slice(from).matchAll(/\S+/g)];
  const maxWords = Math.min(abbreviation.length + 5, abbreviation.length * 2);
  if (words.length > maxWords) from += words[words.length - maxWords]!.index;
  const long = head.slice(from).toLowerCase();
  const short = abbreviation.toLowerCase();
  const isAlnum = (c: string | undefined) => !!c && /[\p{L}\d]/u.test(c);
  let l = long.length - 1;
  for (let s = short.length - 1; s >= 0; s--) {
    const c = short[s]!;
    if (!isAlnum(c)) continue;
    while (l >= 0 && (long[l] !== c || (s === 0 && l > 0 && isAlnum(long[l - 1])))) l--;
    if (l < 0) return -1;
    l--;
  }
  return from + long.lastIndexOf(' ', l) + 1;
}

/** An abbreviation as written in parentheses: 2–10 characters, a capital, no space, starting with a letter or digit. */
const definitionPattern = /\(([\p{L}\d][^\s()]{1,9})\)/gu;

/**
 * Abbreviations defined in the text, "overactive bladder (OAB)": every mention of the abbreviation takes the type
 * of the mention ending where its long form ends, inside it (the network can read a bare "OAB" as a chemical;
 * "heparin-induced thrombocytopenia (HIT)" is a disease by "thrombocytopenia"), occurrences the network missed are
 * added, and when no mention ends the long form, the abbreviation is none either ("spontaneously hypertensive
 * rats (SHR)", "poly(ADP-ribose) polymerase (PARP)").
 */
export function resolveAbbreviations(text: string, tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>): TokenSpan[] {
  const definitions = new Map<string, string | null>();
  for (const m of text.matchAll(definitionPattern)) {
    const abbreviation = m[1]!;
    if (!/\p{Lu}/u.test(abbreviation) || definitions.has(abbreviation)) continue;
    const open = m.index;
    const start = longFormStart(text.slice(Math.max(0, open - 200), open), abbreviation);
    if (start < 0) continue;
    const longEnd = text.slice(0, open).trimEnd().length;
    const longStart = Math.max(0, open - 200) + start;
    if (longStart >= longEnd) continue;
    const mention = spans.find((s) => tokens[s.endToken - 1]!.end === longEnd && tokens[s.endToken - 1]!.start >= longStart);
    definitions.set(abbreviation, mention ? mention.type : null);
  }
  if (definitions.size === 0) return [...spans];
  // Occurrences of each defined abbreviation as whole tokens.
  const out: TokenSpan[] = [];
  const taken = new Uint8Array(tokens.length);
  const surface = (s: TokenSpan) => text.slice(tokens[s.firstToken]!.start, tokens[s.endToken - 1]!.end);
  for (const s of spans) {
    const type = definitions.get(surface(s));
    if (type === null) continue;
    out.push(type === undefined ? s : { ...s, type });
    for (let t = s.firstToken; t < s.endToken; t++) taken[t] = 1;
  }
  const isWordChar = (c: string | undefined) => !!c && /[\p{L}\d]/u.test(c);
  for (const [abbreviation, type] of definitions) {
    if (!type) continue;
    const first = nerTokens(abbreviation).length;
    for (let i = 0; i + first <= tokens.length; i++) {
      const start = tokens[i]!.start;
      const end = tokens[i + first - 1]!.end;
      if (text.slice(start, end) !== abbreviation || isWordChar(text[start - 1]) || isWordChar(text[end])) continue;
      let free = true;
      for (let t = i; t < i + first && free; t++) free = !taken[t];
      if (!free) continue;
      out.push({ type, firstToken: i, endToken: i + first, score: 0.5 });
      for (let t = i; t < i + first; t++) taken[t] = 1;
    }
  }
  return out.sort((a, b) => a.firstToken - b.firstToken);
}
