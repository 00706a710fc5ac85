/**
 * What the training annotations say about particular names, learned from the training splits only
 * (models/ner/build-memory.ts): names the annotators marked nearly every time they occur ("keep", with their
 * type) and names the network tends to tag that the annotators almost never marked ("drop", e.g. "placebo" and
 * "saline" are not chemicals under BC5CDR's guidelines). Applied after decoding, per head. The same file
 * (memory.json) holds the word lists the disease-edge rules (boundaries.ts), the disease adjectives and plurals
 * (adjectives.ts) and the coordination rule (coordination.ts) read.
 */
import type { DiseaseEdges } from './boundaries.ts';
import type { NerToken } from './tokens.ts';
import type { TokenSpan } from './propagate.ts';

export interface NameMemory {
  /** Name key → mention type. */
  keep: ReadonlyMap<string, string>;
  drop: ReadonlySet<string>;
  /** Longest name in `keep`, in tokens. */
  longest: number;
  /** One-word disease names, lower-case, whose adjectives and plurals are disease mentions too (adjectives.ts). */
  diseaseNouns: ReadonlySet<string>;
  /** Words that modify a disease head noun, lower-case (coordination.ts). */
  modifiers: ReadonlySet<string>;
  edges: DiseaseEdges;
}

/** The lookup key of a token run: case-folded unless it has no lower-case letter (abbreviations keep their case). */
export function nameKey(words: ReadonlyArray<string>): string {
  const joined = words.join(' ');
  return /\p{Ll}/u.test(joined) ? joined.toLowerCase() : joined;
}

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\d]/u.test(c);

/** True when tokens [from, to) are not glued to a letter or digit run on either side ("CO" in "CO2"). */
function standsAlone(tokens: ReadonlyArray<NerToken>, from: number, to: number): boolean {
  const before = tokens[from - 1];
  const after = tokens[to];
  const first = tokens[from]!;
  const last = tokens[to - 1]!;
  if (before && before.end === first.start && isWordChar(before.text.at(-1)) && isWordChar(first.text[0])) return false;
  if (after && last.end === after.start && isWordChar(last.text.at(-1)) && isWordChar(after.text[0])) return false;
  return true;
}

const firstWords = new WeakMap<ReadonlyMap<string, string>, ReadonlySet<string>>();

/** The lower-cased first words of the remembered names, so that most tokens are passed over at once. */
function firstWordsOf(keep: ReadonlyMap<string, string>): ReadonlySet<string> {
  let words = firstWords.get(keep);
  if (!words) {
    words = new Set([...keep.keys()].map((name) => name.split(' ')[0]!.toLowerCase()));
    firstWords.set(keep, words);
  }
  return words;
}

export function applyMemory(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>, memory: NameMemory): TokenSpan[] {
  const words = tokens.map((t) => t.text);
  const kept = spans.filter((s) => !memory.drop.has(nameKey(words.slice(s.firstToken, s.endToken))));
  // Token → index of the kept span holding it; -1 free, -2 a remembered name added here.
  const owner = new Int32Array(tokens.length).fill(-1);
  kept.forEach((s, k) => owner.fill(k, s.firstToken, s.endToken));
  const replaced = new Set<number>();
  const retyped = new Map<number, string>();
  const added: TokenSpan[] = [];
  const starts = firstWordsOf(memory.keep);
  for (let i = 0; i < tokens.length; i++) {
    if (!starts.has(words[i]!.toLowerCase())) continue;
    // Longest remembered name starting here over free tokens and whole spans the network found, so that a name
    // can take in the part the network read ("epilepticus" → "status epilepticus"), never cut a span.
    for (let n = Math.min(memory.longest, tokens.length - i); n >= 1; n--) {
      const inside: number[] = [];
      let fits = true;
      for (let t = i; t < i + n && fits; t++) {
        const k = owner[t]!;
        if (k === -1) continue;
        if (k === -2 || kept[k]!.firstToken < i || kept[k]!.endToken > i + n) fits = false;
        else if (!inside.includes(k)) inside.push(k);
      }
      if (!fits) continue;
      const type = memory.keep.get(nameKey(words.slice(i, i + n)));
      // A span the network found exactly keeps its place but takes the remembered type ("nephrotoxicity" read as
      // a chemical beside a drug name).
      const same = inside.length === 1 && kept[inside[0]!]!.firstToken === i && kept[inside[0]!]!.endToken === i + n;
      if (same && type && type !== kept[inside[0]!]!.type) retyped.set(inside[0]!, type);
      if (same) continue;
      if (type && standsAlone(tokens, i, i + n)) {
        for (const k of inside) replaced.add(k);
        added.push({ type, firstToken: i, endToken: i + n, score: 0.5 });
        owner.fill(-2, i, i + n);
        i += n - 1;
        break;
      }
    }
  }
  const typed = kept.map((s, k) => (retyped.has(k) ? { ...s, type: retyped.get(k)! } : s));
  return [...typed.filter((_, k) => !replaced.has(k)), ...added].sort((a, b) => a.firstToken - b.firstToken);
}
