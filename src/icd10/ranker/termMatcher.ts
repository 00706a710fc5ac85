/**
 * Matches a note's sentences against the code set's own words: titles, inclusion terms and index terms.
 * A term matches a sentence when the sentence holds enough of the term's content words, weighted by how
 * rare each word is among all terms (so "hypertension" counts more than "essential"). This reaches codes the
 * learned lexicon has never seen. Codes made by adding a 7th character are left out: their parent matches
 * and the needs-specificity flag offers the 7th characters.
 */
import type { CodeSet } from '../codeSet.ts';
import type { AnalysedText } from '../phrases.ts';
import { isContentStem, tokenize } from '../text.ts';

export type TermKind = 'title' | 'inclusion' | 'index';

interface Term {
  code: string;
  kind: TermKind;
  stems: string[];
  weights: number[];
  totalWeight: number;
}

export interface TermMatch {
  code: string;
  kind: TermKind;
  /** Weighted share of the term's content words found in the sentence (0–1). */
  coverage: number;
  sentence: number;
  /** Offsets of the sentence tokens that matched the term's words. */
  spans: Array<[number, number]>;
}

/** Terms are looked up by their rarest words, so a sentence only touches terms it could match. */
const keysPerTerm = 2;
export const minimumCoverage = 0.5;

export class TermMatcher {
  private readonly terms: Term[] = [];
  private readonly byKeyStem = new Map<string, number[]>();

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
    for (const term of raw) {
      const weights = term.stems.map((s) => Math.log(raw.length / documentFrequency.get(s)!));
      const id = this.terms.length;
      this.terms.push({ ...term, weights, totalWeight: weights.reduce((a, b) => a + b, 0) });
      const byRarity = term.stems.map((s, i) => [s, weights[i]!] as const).sort((a, b) => b[1] - a[1]);
      for (const [s] of byRarity.slice(0, keysPerTerm)) {
        const list = this.byKeyStem.get(s);
        if (list) list.push(id);
        else this.byKeyStem.set(s, [id]);
      }
    }
  }

  /** The best match per code and sentence. */
  match(text: AnalysedText): TermMatch[] {
    const matches: TermMatch[] = [];
    text.sentences.forEach((sentence, sentenceIndex) => {
      const positions = new Map<string, Array<[number, number]>>();
      for (let i = sentence.firstToken; i < sentence.endToken; i++) {
        const token = text.tokens[i]!;
        const list = positions.get(token.stem);
        if (list) list.push([token.start, token.end]);
        else positions.set(token.stem, [[token.start, token.end]]);
      }
      const best = new Map<string, TermMatch>();
      const visited = new Set<number>();
      for (const stem of positions.keys()) {
        for (const id of this.byKeyStem.get(stem) ?? []) {
          if (visited.has(id)) continue;
          visited.add(id);
          const term = this.terms[id]!;
          let found = 0;
          const spans: Array<[number, number]> = [];
          term.stems.forEach((s, i) => {
            const at = positions.get(s);
            if (!at) return;
            found += term.weights[i]!;
            spans.push(at[0]!);
          });
          const coverage = term.totalWeight > 0 ? found / term.totalWeight : 0;
          if (coverage < minimumCoverage) continue;
          const previous = best.get(term.code);
          if (!previous || coverage > previous.coverage) {
            best.set(term.code, { code: term.code, kind: term.kind, coverage, sentence: sentenceIndex, spans: spans.sort((a, b) => a[0] - b[0]) });
          }
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
