/**
 * Trains the ranker on coded notes (CodiEsp train): lexicons from the English mentions of the gold evidence,
 * code priors, and logistic weights plus boosted trees fitted on out-of-fold candidates, so the scorer sees
 * lexicon features as they behave on notes the lexicon has not seen. The threshold is the best-F1 point of
 * those predictions.
 */
import { structureNote } from '../../../notes/structuring/structure.ts';
import type { CodeSet } from '../code-set.ts';
import { problemSignals } from '../note-context.ts';
import type { AnalysedText } from '../phrases.ts';
import { extractCandidates, featureNames, type FeatureSources } from '../ranker/features.ts';
import { fitBoostedTrees } from '../ranker/boosted-trees.ts';
import { MentionLexicon } from '../ranker/lexicon.ts';
import { fitLogistic, linearMargin, type TrainingRow } from '../ranker/logistic.ts';
import { priorsFrom, rankerFormat, rankerVersion, scoreFeatures, type RankerModelData, type Scorer } from '../ranker/model.ts';
import { termMatcherFor } from '../ranker/term-matcher.ts';
import type { CodiEspDocument } from './codiesp.ts';
import { findEnglishMentions, type MentionedDocument } from './mentions.ts';

/** Co-occurrence entries seen fewer times than this are noise and are not kept. */
const minimumCooccurrenceCount = 2;
/** Co-occurrence is learned for short phrases only: longer ones are covered by the mention lexicon. */
const maxCooccurrenceStems = 2;
export const rankerL2 = 1e-4;

export interface Lexicons {
  mention: MentionLexicon;
  cooccurrence: MentionLexicon;
}

export function buildLexicons(documents: ReadonlyArray<MentionedDocument>): Lexicons {
  const mention = new MentionLexicon();
  const cooccurrence = new MentionLexicon();
  for (const { analysed, mentions, codesBySentence } of documents) {
    for (const m of mentions) mention.addMention(m.key, m.code);
    const seen = new Set<string>();
    for (const phrase of analysed.phrases) {
      const id = `${phrase.sentence} ${phrase.key}`;
      if (seen.has(id) || phrase.contentStems > maxCooccurrenceStems) continue;
      seen.add(id);
      for (const code of codesBySentence.get(phrase.sentence) ?? []) cooccurrence.addMention(phrase.key, code);
    }
  }
  cooccurrence.prune(minimumCooccurrenceCount);
  countSentences(documents, [mention, cooccurrence]);
  return { mention, cooccurrence };
}

/** Adds every sentence occurrence of each lexicon phrase, the denominator of its precision. */
function countSentences(documents: ReadonlyArray<MentionedDocument>, lexicons: ReadonlyArray<MentionLexicon>): void {
  for (const { analysed } of documents) {
    const seen = new Set<string>();
    for (const phrase of analysed.phrases) {
      const id = `${phrase.sentence} ${phrase.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const lexicon of lexicons) lexicon.countSentence(phrase.key);
    }
  }
}

/** In how many notes each word stem occurs. */
export function stemCounts(documents: ReadonlyArray<{ analysed: AnalysedText }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { analysed } of documents) for (const stem of new Set(analysed.tokens.map((t) => t.stem))) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  return counts;
}

export function codeCounts(documents: ReadonlyArray<{ codes: ReadonlyArray<string> }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of documents) for (const code of new Set(d.codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return counts;
}

export interface TrainingOptions {
  folds?: number;
  trainedOn: string;
}

export interface ScoredDocument {
  gold: ReadonlySet<string>;
  scores: Array<{ code: string; score: number }>;
}

/** Best-F1 threshold over scored candidates of several documents (micro-averaged). */
export function bestF1Threshold(documents: ReadonlyArray<ScoredDocument>): number {
  const all = documents.flatMap((d) => d.scores.map((s) => ({ score: s.score, relevant: d.gold.has(s.code) })));
  const totalGold = documents.reduce((n, d) => n + d.gold.size, 0);
  all.sort((a, b) => b.score - a.score);
  let truePositives = 0;
  let best = { f1: -1, threshold: 0.5 };
  all.forEach((item, i) => {
    if (item.relevant) truePositives++;
    const precision = truePositives / (i + 1);
    const recall = truePositives / Math.max(1, totalGold);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1 && (i + 1 === all.length || all[i + 1]!.score < item.score)) best = { f1, threshold: item.score };
  });
  return best.threshold;
}

/** A note's candidates with their features, labelled against its gold codes. */
interface LabelledCandidates {
  gold: Set<string>;
  codes: string[];
  rows: TrainingRow[];
}

/** Lexicons and priors learned from the given notes, with the code set's term matcher: what candidates are drawn from. */
function featureSourcesFrom(mentioned: ReadonlyArray<MentionedDocument>, codeSet: CodeSet): FeatureSources {
  const lexicons = buildLexicons(mentioned);
  const priors = priorsFrom(mentioned.length, codeCounts(mentioned.map((m) => m.document)), stemCounts(mentioned));
  return { codeSet, mentionLexicon: lexicons.mention, cooccurrenceLexicon: lexicons.cooccurrence, termMatcher: termMatcherFor(codeSet), priors };
}

function labelledCandidates(analysed: AnalysedText, english: string, codes: ReadonlyArray<string>, sources: FeatureSources): LabelledCandidates {
  const gold = new Set(codes);
  // Notes are structured first: the structured note's problem candidates take part, as when suggesting.
  const candidates = extractCandidates(analysed, sources, problemSignals(structureNote(english)));
  return { gold, codes: candidates.map((c) => c.code), rows: candidates.map((c) => ({ features: c.features, label: gold.has(c.code) ? 1 : 0 })) };
}

/**
 * Every note's candidates, featurised with lexicons and priors from the other folds, so lexicon features
 * behave as they do on notes the lexicon has not seen.
 */
function outOfFoldCandidates(mentioned: ReadonlyArray<MentionedDocument>, codeSet: CodeSet, folds: number): LabelledCandidates[] {
  const result: LabelledCandidates[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (index: number) => index % folds === fold;
    const sources = featureSourcesFrom(mentioned.filter((_, i) => !inFold(i)), codeSet);
    mentioned.forEach((m, index) => {
      if (inFold(index)) result.push(labelledCandidates(m.analysed, m.document.english, m.document.codes, sources));
    });
  }
  return result;
}

/** Logistic weights, then trees fitted to what the linear margin leaves unexplained. */
function fitScorer(rows: ReadonlyArray<TrainingRow>, l2: number): Required<Scorer> {
  const weights = fitLogistic(rows, featureNames.length, { l2 }).map((w) => Number(w.toFixed(6)));
  const trees = fitBoostedTrees(rows, rows.map((r) => linearMargin(weights, r.features)));
  return { weights, trees };
}

export function trainRanker(documents: ReadonlyArray<CodiEspDocument>, codeSet: CodeSet, options: TrainingOptions): RankerModelData {
  const mentioned = findEnglishMentions(documents, codeSet);
  const outOfFold = outOfFoldCandidates(mentioned, codeSet, options.folds ?? 5);
  const rows = outOfFold.flatMap((d) => d.rows);
  const scorer = fitScorer(rows, rankerL2);
  const threshold = bestF1Threshold(
    outOfFold.map((d) => ({ gold: d.gold, scores: d.rows.map((r, i) => ({ code: d.codes[i]!, score: scoreFeatures(scorer, r.features) })) })),
  );
  const lexicons = buildLexicons(mentioned);
  const model: Omit<RankerModelData, 'version'> = {
    format: rankerFormat,
    trainedOn: options.trainedOn,
    codeSetVersion: codeSet.version,
    featureNames: [...featureNames],
    ...scorer,
    threshold: Number(threshold.toFixed(6)),
    priors: {
      documents: documents.length,
      codes: [...codeCounts(documents)].sort(([a], [b]) => (a < b ? -1 : 1)),
      stems: [...stemCounts(mentioned)].filter(([, n]) => n > 1).sort(([a], [b]) => (a < b ? -1 : 1)),
    },
    mentionLexicon: lexicons.mention.toJSON(),
    cooccurrenceLexicon: lexicons.cooccurrence.toJSON(),
    decisionsLearned: 0,
  };
  return { ...model, version: rankerVersion(model) };
}

export interface CodiEspTrainingRun {
  model: RankerModelData;
  documents: number;
  seconds: number;
}

/** Trains on the documents of the CodiEsp `train` split (never dev or test) with the given code set. */
export function trainOnCodiEsp(documents: readonly CodiEspDocument[], codeSet: CodeSet): CodiEspTrainingRun {
  const started = performance.now();
  const model = trainRanker(documents, codeSet, {
    trainedOn: `CodiEsp train split (${documents.length} documents, English translation)`,
  });
  return { model, documents: documents.length, seconds: (performance.now() - started) / 1000 };
}
