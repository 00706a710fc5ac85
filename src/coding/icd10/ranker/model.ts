/**
 * The trained ranker: mention and co-occurrence lexicons, code priors, logistic weights and boosted trees on
 * top of them (the score is the sigmoid of the linear margin plus the trees' margin), stored as one
 * gzip JSON artifact (`models/icd10cm/ranker.json.gz`, written by `clinote icd10 train`). A refit with coder
 * decisions (`learnFromDecisions`) produces a new artifact with a new version.
 */
import { createHash } from 'node:crypto';
import { featureNames, type Candidate, type CodePriors } from './features.ts';
import { MentionLexicon, type LexiconEntry } from './lexicon.ts';
import { treesMargin, type RegressionTree } from './boosted-trees.ts';
import { linearMargin, sigmoid } from './logistic.ts';

export const rankerFormat = 'clinote-icd10-ranker/1';

export interface RankerModelData {
  format: typeof rankerFormat;
  /** Content hash: changes whenever weights, lexicons or priors change. */
  version: string;
  /** What it was trained on, for people. */
  trainedOn: string;
  codeSetVersion: string;
  featureNames: string[];
  weights: number[];
  /** Boosted trees added to the weights' margin; absent in artifacts trained before they were introduced. */
  trees?: RegressionTree[];
  /** Score at or above which a suggestion counts as proposed (best F1 on out-of-fold training predictions). */
  threshold: number;
  /** Training notes, the notes each code was assigned to, and the notes each word stem occurs in. */
  priors: { documents: number; codes: Array<[code: string, documents: number]>; stems: Array<[stem: string, documents: number]> };
  mentionLexicon: LexiconEntry[];
  cooccurrenceLexicon: LexiconEntry[];
  /** Coder decisions folded in by `learnFromDecisions`. */
  decisionsLearned: number;
}

export function rankerVersion(data: Omit<RankerModelData, 'version'>): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([data.weights, ...(data.trees ? [data.trees] : []), data.threshold, data.priors, data.mentionLexicon, data.cooccurrenceLexicon]))
    .digest('hex');
  return `lr-${hash.slice(0, 12)}`;
}

export type Scorer = Pick<RankerModelData, 'weights' | 'trees'>;

/** Calibrated probability that a candidate with these features is a code of the note. */
export function scoreFeatures(scorer: Scorer, features: ArrayLike<number>): number {
  return sigmoid(linearMargin(scorer.weights, features) + (scorer.trees ? treesMargin(scorer.trees, features) : 0));
}

export function priorsFrom(documents: number, codes: Iterable<[string, number]>, stems: Iterable<[string, number]>): CodePriors {
  const codeCounts = new Map(codes);
  const categories = new Map<string, number>();
  for (const [code, count] of codeCounts) categories.set(code.slice(0, 3), (categories.get(code.slice(0, 3)) ?? 0) + count);
  return {
    documents,
    codes: codeCounts,
    categories,
    stemDocuments: new Map(stems),
    maxCode: Math.max(0, ...codeCounts.values()),
    maxCategory: Math.max(0, ...categories.values()),
  };
}

export class Ranker {
  readonly version: string;
  readonly threshold: number;
  readonly codeSetVersion: string;
  readonly mentionLexicon: MentionLexicon;
  readonly cooccurrenceLexicon: MentionLexicon;
  readonly priors: CodePriors;

  constructor(readonly data: RankerModelData) {
    if (data.format !== rankerFormat) throw new Error(`not a ${rankerFormat} model`);
    const expected = featureNames.join(',');
    if (data.featureNames.join(',') !== expected) {
      throw new Error(`ranker ${data.version} was trained on other features; retrain with \`clinote icd10 train\``);
    }
    this.version = data.version;
    this.threshold = data.threshold;
    this.codeSetVersion = data.codeSetVersion;
    this.mentionLexicon = new MentionLexicon(data.mentionLexicon);
    this.cooccurrenceLexicon = new MentionLexicon(data.cooccurrenceLexicon);
    this.priors = priorsFrom(data.priors.documents, data.priors.codes, data.priors.stems);
  }

  /** Calibrated probability that the code belongs on the note. */
  score(candidate: Candidate): number {
    return scoreFeatures(this.data, candidate.features);
  }
}

let readActive: (() => RankerModelData) | undefined;
let loaded: Ranker | undefined;

/**
 * Installs where the ranker in use comes from (the configured CLINOTE_ICD10_RANKER, read by `ranker-files.ts`;
 * the process's composition root installs it once); drops the loaded one.
 */
export function useRanker(read: () => RankerModelData): void {
  readActive = read;
  loaded = undefined;
}

/** The ranker in use, read on the first call and shared by every later call in the process. */
export function loadRanker(): Ranker {
  if (!loaded) {
    if (!readActive) throw new Error('no ICD-10 ranker installed: the composition root calls installModelFiles (src/model-files.ts)');
    loaded = new Ranker(readActive());
  }
  return loaded;
}
