/**
 * The trained ranker: mention and co-occurrence lexicons, code priors, logistic weights and boosted trees on
 * top of them (the score is the sigmoid of the linear margin plus the trees' margin), stored as one
 * gzip JSON artifact (`models/icd10cm/ranker.json.gz`, written by `clinote icd10 train`). A refit with coder
 * decisions (`learnFromDecisions`) produces a new artifact with a new version.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { modelLocations } from '../../../config/paths.ts';
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

/** The ranker shipped in the models folder (`clinote icd10 train` rewrites it). */
export function bundledRankerFile(): string {
  return path.join(modelLocations().modelsDir, 'icd10cm', 'ranker.json.gz');
}

export function readRankerModel(file: string): RankerModelData {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RankerModelData;
}

export function writeRankerModel(file: string, data: RankerModelData): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, gzipSync(JSON.stringify(data), { level: 9 }));
  renameSync(temporary, file);
}

/** The ranker in use: the configured CLINOTE_ICD10_RANKER (a file written by `clinote icd10 learn`) or the bundled one. */
export function activeRankerFile(): string {
  return modelLocations().icd10Ranker;
}

const loaded = new Map<string, Ranker>();

export function loadRanker(file = activeRankerFile()): Ranker {
  const cached = loaded.get(file);
  if (cached) return cached;
  if (!existsSync(file)) throw new Error(`ICD-10 ranker not found at ${file}; train it with \`clinote icd10 train\``);
  const ranker = new Ranker(readRankerModel(file));
  loaded.set(file, ranker);
  return ranker;
}
