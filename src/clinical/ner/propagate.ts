/**
 * Document-level consistency for the mention finder's spans: a name the network tagged once is tagged wherever it
 * recurs in the same text, and an abbreviation defined right after a mention, "long form (ABBR)", is a mention of
 * the same type there and wherever it recurs. The network reads a window of 15 tokens, so a later bare "MJD" or
 * "5-FU" can lack the context that made the first one clear.
 */
import type { NerToken } from './tokens.ts';

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
