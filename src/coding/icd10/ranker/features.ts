/**
 * Candidate codes for a note and the features the ranker scores them on. Candidates come from three
 * sources: the learned mention lexicon (phrases coders coded), sentence-level co-occurrence of phrases and
 * codes, and matches against the code set's titles, inclusion and index terms; a structured note's problem
 * candidates are added as well. Every candidate keeps the text spans that produced it.
 */
import type { CodeSet } from '../code-set.ts';
import { phraseKey, type AnalysedText } from '../phrases.ts';
import type { MentionLexicon } from './lexicon.ts';
import type { TermMatcher } from './term-matcher.ts';

export const featureNames = [
  'bias',
  'lexiconPrecision',
  'lexiconPrecisionHigh',
  'lexiconSubsumed',
  'lexiconGappedPrecision',
  'lexiconCount',
  'lexiconSentences',
  'lexiconPhraseLength',
  'lexiconSum',
  'cooccurrencePrecision',
  'cooccurrenceSum',
  'termCoverage',
  'termFull',
  'termTitle',
  'termIndex',
  'termSentences',
  'termWeight',
  'termCompactness',
  'termAmbiguity',
  'termRareInNotes',
  'termFullRare',
  'termOnlyUnseen',
  'prior',
  'categoryPrior',
  'unseen',
  'billable',
  'unspecifiedTitle',
  'depth',
  'firstPosition',
  'bestInCategory',
  'moreSpecificCandidate',
  'categoryCandidates',
  'structuredProblem',
] as const;
export type FeatureName = (typeof featureNames)[number];
const featureIndex = Object.fromEntries(featureNames.map((name, i) => [name, i])) as Record<FeatureName, number>;

export type EvidenceSource = 'lexicon' | 'cooccurrence' | 'term' | 'structured';

export interface MentionContext {
  negated?: boolean;
  uncertain?: boolean;
  historical?: boolean;
  hypothetical?: boolean;
  family?: boolean;
}

export interface CandidateEvidence {
  start: number;
  end: number;
  source: EvidenceSource;
  /** Source-specific strength (lexicon precision, term coverage, …), used to order evidence. */
  strength: number;
  /** Known up front only for structured problems; other spans are assessed when the rules need them. */
  context?: MentionContext;
}

export interface Candidate {
  code: string;
  evidence: CandidateEvidence[];
  features: Float64Array;
}

export interface StructuredProblemHint {
  start: number;
  end: number;
  codes: ReadonlyArray<string>;
  context: MentionContext;
}

/** How often each code (and category) was assigned in the training notes. */
export interface CodePriors {
  documents: number;
  codes: ReadonlyMap<string, number>;
  categories: ReadonlyMap<string, number>;
  /** In how many training notes each word stem occurs. */
  stemDocuments: ReadonlyMap<string, number>;
  /** The largest counts, which normalise the prior features to 0–1. */
  maxCode: number;
  maxCategory: number;
}

export interface FeatureSources {
  codeSet: CodeSet;
  mentionLexicon: MentionLexicon;
  cooccurrenceLexicon: MentionLexicon;
  termMatcher: TermMatcher;
  priors: CodePriors;
}

export interface NoteSignals {
  problems?: ReadonlyArray<StructuredProblemHint>;
  /** Codes to score even if no source proposes them (used when learning from coder decisions). */
  forcedCodes?: ReadonlyArray<string>;
}

/** Co-occurrence hits below this precision are too weak to propose a candidate on their own. */
const minimumCooccurrencePrecision = 0.08;

interface Accumulator {
  code: string;
  evidence: CandidateEvidence[];
  lexiconBest?: { precision: number; count: number; stems: number };
  /** Best precision of lexicon phrases found with one extra word inside ("testicular hemorrhagic infarction"). */
  gappedBest: number;
  /** Lexicon hits, and how many of them sit inside a longer phrase that the lexicon gives to another code. */
  lexiconHits: number;
  lexiconHitsSubsumed: number;
  lexiconBySentence: Map<number, number>;
  cooccurrenceBest: number;
  cooccurrenceBySentence: Map<number, number>;
  termBest?: { coverage: number; kind: string; matchedWeight: number; compactness: number; ambiguity: number; rareInNotes: number };
  termFullSentences: Set<number>;
  structured: boolean;
}

export function extractCandidates(text: AnalysedText, sources: FeatureSources, signals: NoteSignals = {}): Candidate[] {
  const byCode = new Map<string, Accumulator>();
  const accumulator = (code: string): Accumulator => {
    let entry = byCode.get(code);
    if (!entry) {
      entry = {
        code,
        evidence: [],
        lexiconBySentence: new Map(),
        gappedBest: 0,
        lexiconHits: 0,
        lexiconHitsSubsumed: 0,
        cooccurrenceBest: 0,
        cooccurrenceBySentence: new Map(),
        termFullSentences: new Set(),
        structured: false,
      };
      byCode.set(code, entry);
    }
    return entry;
  };
  const addEvidence = (entry: Accumulator, start: number, end: number, source: EvidenceSource, strength: number) => {
    entry.evidence.push({ start, end, source, strength });
  };

  const lexiconHits = sources.mentionLexicon.lookup(text.phrases);
  // Longest match: "pain" inside "abdominal pain" is evidence for the abdominal-pain code, less for plain pain.
  const longer = lexiconHits.filter((h) => h.phrase.contentStems > 1 && h.precision >= 0.2);
  for (const hit of lexiconHits) {
    const entry = accumulator(hit.code);
    entry.lexiconHits++;
    const inside = longer.some(
      (o) =>
        o.code !== hit.code &&
        o.phrase.contentStems > hit.phrase.contentStems &&
        o.phrase.start <= hit.phrase.start &&
        o.phrase.end >= hit.phrase.end,
    );
    if (inside) entry.lexiconHitsSubsumed++;
    const best = entry.lexiconBest;
    if (!best || hit.precision > best.precision) entry.lexiconBest = { precision: hit.precision, count: hit.count, stems: hit.phrase.contentStems };
    const sentence = hit.phrase.sentence;
    entry.lexiconBySentence.set(sentence, Math.max(entry.lexiconBySentence.get(sentence) ?? 0, hit.precision));
    addEvidence(entry, hit.phrase.start, hit.phrase.end, 'lexicon', hit.precision);
  }
  // Phrases of three or four words also match lexicon phrases that lack one of their inner words
  // ("testicular hemorrhagic infarction" → "testicular infarction"); outer words are dropped by shorter phrases.
  const gapped = text.phrases.flatMap((phrase) => {
    const { stems } = phrase;
    if (stems.length < 3) return [];
    return stems.slice(1, -1).map((_, i) => {
      const kept = stems.filter((__, j) => j !== i + 1);
      return { ...phrase, key: phraseKey(kept), stems: kept, contentStems: kept.length };
    });
  });
  for (const hit of sources.mentionLexicon.lookup(gapped)) {
    if (hit.phrase.contentStems < 2) continue;
    const entry = accumulator(hit.code);
    entry.gappedBest = Math.max(entry.gappedBest, hit.precision);
    addEvidence(entry, hit.phrase.start, hit.phrase.end, 'lexicon', hit.precision / 2);
  }
  const termMatches = sources.termMatcher.match(text);
  // The rarest matched word's inverse note frequency, 0–1: "eosinophilia" is rare in notes, "pain" is not.
  const { documents, stemDocuments } = sources.priors;
  const rareInNotes = (stems: ReadonlyArray<string>) =>
    documents > 0 ? Math.max(0, ...stems.map((s) => Math.log((documents + 1) / ((stemDocuments.get(s) ?? 0) + 1)) / Math.log(documents + 1))) : 0;
  // How many codes the same words match fully: "bladder" fits dozens of titles, "eosinophilia" one.
  const codesPerWords = new Map<string, number>();
  const wordsOf = (match: (typeof termMatches)[number]) => `${match.sentence}|${match.spans.map((s) => s[0]).join(',')}`;
  for (const match of termMatches) codesPerWords.set(wordsOf(match), (codesPerWords.get(wordsOf(match)) ?? 0) + 1);
  for (const match of termMatches) {
    const entry = accumulator(match.code);
    const better =
      !entry.termBest ||
      match.coverage > entry.termBest.coverage ||
      (match.coverage === entry.termBest.coverage && match.matchedWeight > entry.termBest.matchedWeight);
    if (better) {
      const { coverage, kind, matchedWeight, compactness } = match;
      const ambiguity = codesPerWords.get(wordsOf(match))! - 1;
      entry.termBest = { coverage, kind, matchedWeight, compactness, ambiguity, rareInNotes: rareInNotes(match.stems) };
    }
    if (match.coverage >= 0.999) entry.termFullSentences.add(match.sentence);
    for (const [start, end] of match.spans) addEvidence(entry, start, end, 'term', match.coverage);
  }
  for (const problem of signals.problems ?? []) {
    for (const code of problem.codes) {
      if (!sources.codeSet.has(code)) continue;
      const entry = accumulator(sources.codeSet.record(code)!.code);
      entry.structured = true;
      entry.evidence.push({ start: problem.start, end: problem.end, source: 'structured', strength: 1, context: problem.context });
    }
  }
  sources.cooccurrenceLexicon.forEachHit(text.phrases, (code, phrase, _count, precision) => {
    if (precision < minimumCooccurrencePrecision && !byCode.has(code)) return;
    const entry = accumulator(code);
    entry.cooccurrenceBest = Math.max(entry.cooccurrenceBest, precision);
    const sentenceBest = entry.cooccurrenceBySentence.get(phrase.sentence) ?? 0;
    if (precision <= sentenceBest) return;
    entry.cooccurrenceBySentence.set(phrase.sentence, precision);
    // Co-occurrence evidence is shown only when nothing direct exists: the best phrase per sentence is enough.
    if (precision >= minimumCooccurrencePrecision) addEvidence(entry, phrase.start, phrase.end, 'cooccurrence', precision);
  });
  for (const code of signals.forcedCodes ?? []) accumulator(code);

  return featurize([...byCode.values()], text, sources);
}

function baseStrength(entry: Accumulator): number {
  return Math.max(entry.lexiconBest?.precision ?? 0, entry.cooccurrenceBest * 0.5, (entry.termBest?.coverage ?? 0) * 0.5);
}

function featurize(entries: Accumulator[], text: AnalysedText, sources: FeatureSources): Candidate[] {
  const { codeSet, priors } = sources;
  const maxPrior = Math.log1p(Math.max(1, priors.maxCode));
  const maxCategoryPrior = Math.log1p(Math.max(1, priors.maxCategory));
  const byCategory = new Map<string, Accumulator[]>();
  for (const entry of entries) {
    const category = entry.code.slice(0, 3);
    const list = byCategory.get(category) ?? [];
    list.push(entry);
    byCategory.set(category, list);
  }
  const textLength = Math.max(1, text.text.length);
  return entries.map((entry) => {
    const x = new Float64Array(featureNames.length);
    const set = (name: FeatureName, value: number) => (x[featureIndex[name]] = value);
    const record = codeSet.record(entry.code);
    const prior = priors.codes.get(entry.code) ?? 0;
    const categoryPrior = priors.categories.get(entry.code.slice(0, 3)) ?? 0;
    set('bias', 1);
    if (entry.lexiconBest) {
      set('lexiconPrecision', entry.lexiconBest.precision);
      set('lexiconPrecisionHigh', Math.max(0, entry.lexiconBest.precision - 0.5) * 2);
      set('lexiconSubsumed', entry.lexiconHitsSubsumed / entry.lexiconHits);
      set('lexiconCount', Math.log1p(entry.lexiconBest.count) / Math.log(50));
      set('lexiconPhraseLength', entry.lexiconBest.stems / 4);
    }
    set('lexiconGappedPrecision', entry.gappedBest);
    const sentencesAbove = (m: Map<number, number>, threshold: number) => [...m.values()].filter((p) => p >= threshold).length;
    set('lexiconSentences', Math.log1p(sentencesAbove(entry.lexiconBySentence, 0.1)) / Math.log(10));
    set('lexiconSum', Math.min(2, [...entry.lexiconBySentence.values()].reduce((a, b) => a + b, 0)));
    set('cooccurrencePrecision', entry.cooccurrenceBest);
    set('cooccurrenceSum', Math.min(3, [...entry.cooccurrenceBySentence.values()].reduce((a, b) => a + b, 0)));
    if (entry.termBest) {
      set('termCoverage', entry.termBest.coverage);
      set('termFull', entry.termBest.coverage >= 0.999 ? 1 : 0);
      set('termTitle', entry.termBest.kind === 'title' ? 1 : 0);
      set('termIndex', entry.termBest.kind === 'index' ? 1 : 0);
      set('termSentences', Math.log1p(entry.termFullSentences.size) / Math.log(10));
      set('termWeight', Math.min(1, entry.termBest.matchedWeight / 20));
      set('termCompactness', entry.termBest.compactness);
      set('termAmbiguity', Math.log1p(entry.termBest.ambiguity) / Math.log(100));
      set('termRareInNotes', entry.termBest.rareInNotes);
      set('termFullRare', entry.termBest.coverage >= 0.999 ? entry.termBest.rareInNotes * entry.termBest.compactness : 0);
      if (prior === 0 && !entry.lexiconBest) set('termOnlyUnseen', entry.termBest.coverage);
    }
    set('prior', Math.log1p(prior) / maxPrior);
    set('categoryPrior', Math.log1p(categoryPrior) / maxCategoryPrior);
    set('unseen', prior === 0 ? 1 : 0);
    set('billable', record?.billable ? 1 : 0);
    set('unspecifiedTitle', record && /unspecified/i.test(record.title) ? 1 : 0);
    set('depth', (entry.code.replace('.', '').length - 3) / 4);
    const firstStart = entry.evidence.reduce((m, e) => Math.min(m, e.start), textLength);
    set('firstPosition', firstStart / textLength);
    const siblings = byCategory.get(entry.code.slice(0, 3)) ?? [];
    const strength = baseStrength(entry);
    set('bestInCategory', siblings.every((s) => s === entry || baseStrength(s) <= strength) ? 1 : 0);
    set('moreSpecificCandidate', siblings.some((s) => s !== entry && s.code.startsWith(entry.code)) ? 1 : 0);
    set('categoryCandidates', Math.log1p(siblings.length - 1) / Math.log(10));
    set('structuredProblem', entry.structured ? 1 : 0);
    return { code: entry.code, evidence: entry.evidence, features: x };
  });
}
