/**
 * Matches a note's sentences against the code set's own words: titles, inclusion terms and index terms.
 * A term matches a sentence when the sentence holds enough of the term's content words, weighted by how
 * rare each word is among all terms (so "hypertension" counts more than "essential"). This reaches codes the
 * learned lexicon has never seen. Codes made by adding a 7th character are left out: their parent matches
 * and the needs-specificity flag offers the 7th characters.
 */
import type { CodeSet } from '../code-set.ts';
import type { AnalysedText } from '../phrases.ts';
import { isContentStem, tokenize } from '../text.ts';

export type TermKind = 'title' | 'inclusion' | 'index';

interface Term {
  code: string;
  kind: TermKind;
  /** Stem ids (see `stemIds`) and their rarity weights. */
  stems: Int32Array;
  weights: Float64Array;
  totalWeight: number;
}

export interface TermMatch {
  code: string;
  kind: TermKind;
  /** Weighted share of the term's content words found in the sentence (0–1). */
  coverage: number;
  /** Sum of the rarity weights of the words found: rare, specific words weigh more. */
  matchedWeight: number;
  /** Matched words over the length (in tokens) of the stretch they span: 1 when they stand together. */
  compactness: number;
  sentence: number;
  /** The matched word stems. */
  stems: string[];
  /** Offsets of the sentence tokens that matched the term's words. */
  spans: Array<[number, number]>;
}

/** Terms are looked up by their rarest words, so a sentence only touches terms it could match. */
const keysPerTerm = 2;
export const minimumCoverage = 0.6;

export class TermMatcher {
  private readonly terms: Term[] = [];
  private readonly stemIds = new Map<string, number>();
  /** Term ids by stem id, for the stems that key a term. */
  private readonly byKeyStem: Int32Array[] = [];
  /** Per-call scratch space, indexed by stem id and term id; a generation counter avoids clearing. */
  private readonly stemSeen: Int32Array;
  private readonly stemPosition: Int32Array;
  private readonly termSeen: Int32Array;
  private generation = 0;

  constructor(codeSet: CodeSet) {
    const raw: Array<{ code: string; kind: TermKind; stems: string[] }> = [];
    for (const record of codeSet.records) {
      const bare = record.code.replace('.', '');
      const parentRule = record.parent ? codeSet.seventhCharacterRule(record.parent) : undefined;
      if (bare.length === 7 && parentRule?.[bare.slice(-1)]) continue;
      const add = (text: string, kind: TermKind) => {
        const stems = [...new Set(tokenize(text.replace(/\([^)]*\)/g, ' ')).map((t) => t.stem).filter(isContentStem))];
        if (stems.length > 0 && stems.length <= 8) raw.push({ code: record.code, kind, stems });
      };
      add(record.title, 'title');
      for (const term of record.inclusionTerms ?? []) add(term, 'inclusion');
      for (const term of record.indexTerms ?? []) add(term, 'index');
    }
    const documentFrequency = new Map<string, number>();
    for (const term of raw) for (const s of term.stems) documentFrequency.set(s, (documentFrequency.get(s) ?? 0) + 1);
    for (const s of documentFrequency.keys()) this.stemIds.set(s, this.stemIds.size);
    const keyed: number[][] = Array.from({ length: this.stemIds.size }, () => []);
    for (const term of raw) {
      const weights = Float64Array.from(term.stems, (s) => Math.log(raw.length / documentFrequency.get(s)!));
      const stems = Int32Array.from(term.stems, (s) => this.stemIds.get(s)!);
      const id = this.terms.length;
      this.terms.push({ code: term.code, kind: term.kind, stems, weights, totalWeight: weights.reduce((a, b) => a + b, 0) });
      const byRarity = [...stems.keys()].sort((i, j) => weights[j]! - weights[i]!);
      for (const i of byRarity.slice(0, keysPerTerm)) keyed[stems[i]!]!.push(id);
    }
    for (const ids of keyed) this.byKeyStem.push(Int32Array.from(ids));
    this.stemSeen = new Int32Array(this.stemIds.size);
    this.stemPosition = new Int32Array(this.stemIds.size);
    this.termSeen = new Int32Array(this.terms.length);
  }

  /** The best match per code and sentence. */
  match(text: AnalysedText): TermMatch[] {
    const matches: TermMatch[] = [];
    text.sentences.forEach((sentence, sentenceIndex) => {
      const generation = ++this.generation;
      const present: number[] = [];
      for (let i = sentence.firstToken; i < sentence.endToken; i++) {
        const id = this.stemIds.get(text.tokens[i]!.stem);
        if (id === undefined || this.stemSeen[id] === generation) continue;
        this.stemSeen[id] = generation;
        this.stemPosition[id] = i;
        present.push(id);
      }
      const best = new Map<string, TermMatch>();
      for (const stemId of present) {
        for (const termId of this.byKeyStem[stemId]!) {
          if (this.termSeen[termId] === generation) continue;
          this.termSeen[termId] = generation;
          const term = this.terms[termId]!;
          let found = 0;
          for (let k = 0; k < term.stems.length; k++) if (this.stemSeen[term.stems[k]!] === generation) found += term.weights[k]!;
          const coverage = term.totalWeight > 0 ? found / term.totalWeight : 0;
          if (coverage < minimumCoverage) continue;
          const previous = best.get(term.code);
          if (previous && coverage <= previous.coverage) continue;
          const spans: Array<[number, number]> = [];
          const stems: string[] = [];
          let first = Number.MAX_SAFE_INTEGER;
          let last = -1;
          for (const s of term.stems) {
            if (this.stemSeen[s] !== generation) continue;
            const position = this.stemPosition[s]!;
            const token = text.tokens[position]!;
            spans.push([token.start, token.end]);
            stems.push(token.stem);
            first = Math.min(first, position);
            last = Math.max(last, position);
          }
          best.set(term.code, {
            code: term.code,
            kind: term.kind,
            coverage,
            matchedWeight: found,
            compactness: spans.length / (last - first + 1),
            stems,
            sentence: sentenceIndex,
            spans: spans.sort((x, y) => x[0] - y[0]),
          });
        }
      }
      matches.push(...best.values());
    });
    return matches;
  }
}

const matchers = new WeakMap<CodeSet, TermMatcher>();

export function termMatcherFor(codeSet: CodeSet): TermMatcher {
  let matcher = matchers.get(codeSet);
  if (!matcher) {
    matcher = new TermMatcher(codeSet);
    matchers.set(codeSet, matcher);
  }
  return matcher;
}
