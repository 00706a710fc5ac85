/**
 * Training of the content-based section classifier: example extraction from the MTS-Dialog and ACI-BENCH
 * training splits, multinomial logistic regression (online AdaGrad, L2, averaged over shuffles), and
 * cross-validation.
 */
import path from 'node:path';
import { sharedDataDir } from '../../../src/config/paths.ts';
import { SECTION_CLASSIFIER_VERSION, scoreSection, sectionFeatures, type SectionClassifierModel } from '../../../src/notes/structuring/section-classifier.ts';
import { sectionTypes, type SectionType } from '../../../src/notes/structuring/section-catalog.ts';
import { detectSections } from '../../../src/notes/structuring/sections.ts';
import { mtsLabelToSection, readAciNotes, readMtsDialog, mtsSectionLabel } from '../../../eval/sections-data.ts';

export interface Example {
  features: string[];
  label: SectionType;
  weight: number;
}

export function mtsExamples(file: string): Example[] {
  return readMtsDialog(file).map((row) => ({ features: sectionFeatures(row.text), label: mtsLabelToSection(row.label, row.text), weight: 1 }));
}

/** ACI-BENCH notes split at their headers; each section body labelled with its header's type. */
export function aciExamples(split: string): Example[] {
  const examples: Example[] = [];
  for (const note of readAciNotes(path.join(sharedDataDir(), 'eval', 'aci-bench'), split)) {
    for (const section of detectSections(note.text)) {
      if (section.headerEnd === null) continue;
      const body = note.text.slice(section.headerEnd, section.end).trim();
      if (body.length < 3) continue;
      examples.push({ features: sectionFeatures(body), label: section.type, weight: 0.5 });
    }
  }
  return examples;
}

export interface TrainOptions {
  /** L2 penalty applied at every update of a weight. */
  l2: number;
  epochs: number;
  /** AdaGrad base step. */
  learningRate: number;
  /** Feature value = number-of-features^-featureScaleExponent. */
  featureScaleExponent: number;
  /** Models trained on different shuffles whose weights are averaged. */
  seeds: number;
}

/** Settings chosen by 5-fold cross-validation on the MTS-Dialog training set (see train-section-classifier.ts). */
export const defaultTrainOptions: TrainOptions = { l2: 1e-5, epochs: 20, learningRate: 0.5, featureScaleExponent: 0.5, seeds: 5 };

/**
 * Multinomial logistic regression by online AdaGrad (shuffled examples, sparse per-example updates, L2 on the
 * touched weights); `seeds` models trained on different shuffles are averaged into one (still linear) model.
 * Features seen fewer than twice are dropped.
 */
export function train(examples: Example[], options: TrainOptions = defaultTrainOptions): SectionClassifierModel {
  const labels = sectionTypes.filter((t) => examples.some((e) => e.label === t));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const featureCounts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) featureCounts.set(f, (featureCounts.get(f) ?? 0) + 1);
  const features = [...featureCounts.entries()].filter(([, c]) => c >= 2).map(([f]) => f).sort();
  const featureIndex = new Map(features.map((f, i) => [f, i]));
  const K = labels.length;
  const rows = examples.map((e) => ({
    idx: Int32Array.from(e.features.map((f) => featureIndex.get(f)).filter((i): i is number => i !== undefined)),
    // The value is computed from all of the text's features, as at scoring time, not only the kept ones.
    value: Math.pow(Math.max(1, e.features.length), -options.featureScaleExponent),
    y: labelIndex.get(e.label)!,
    w: e.weight,
  }));
  const { l2, learningRate: lr } = options;
  const avgW = new Float64Array(features.length * K);
  const avgB = new Float64Array(K);
  const scores = new Float64Array(K);
  for (let seed = 1; seed <= options.seeds; seed++) {
    const W = new Float64Array(features.length * K);
    const hW = new Float64Array(W.length).fill(1e-8);
    const b = new Float64Array(K);
    const hb = new Float64Array(K).fill(1e-8);
    let state = seed;
    const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const order = rows.map((_, i) => i);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const o of order) {
        const r = rows[o]!;
        for (let k = 0; k < K; k++) scores[k] = b[k]!;
        for (const i of r.idx) for (let k = 0; k < K; k++) scores[k]! += r.value * W[i * K + k]!;
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, scores[k]!);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += scores[k] = Math.exp(scores[k]! - max);
        for (let k = 0; k < K; k++) {
          const g = r.w * (scores[k]! / sum - (k === r.y ? 1 : 0));
          hb[k]! += g * g;
          b[k]! -= (lr * g) / Math.sqrt(hb[k]!);
          for (const i of r.idx) {
            const j = i * K + k;
            const gj = g * r.value + l2 * W[j]!;
            hW[j]! += gj * gj;
            W[j]! -= (lr * gj) / Math.sqrt(hW[j]!);
          }
        }
      }
    }
    for (let j = 0; j < W.length; j++) avgW[j]! += W[j]! / options.seeds;
    for (let k = 0; k < K; k++) avgB[k]! += b[k]! / options.seeds;
  }
  // Three decimals and no near-zero rows: the artifact stays small and the scores do not change measurably.
  const round = (x: number) => Math.round(x * 1e3) / 1e3;
  const weights: Record<string, number[]> = {};
  features.forEach((f, i) => {
    const w = Array.from(avgW.subarray(i * K, (i + 1) * K), round);
    if (w.some((x) => Math.abs(x) >= 0.02)) weights[f] = w;
  });
  return { version: SECTION_CLASSIFIER_VERSION, labels, bias: Array.from(avgB, round), featureScaleExponent: options.featureScaleExponent, weights };
}

/** The MTS-Dialog label with the most probability mass (canonical types under one label added up, as in eval/mts-sections.ts). */
export function predictMtsLabel(model: SectionClassifierModel, features: ReadonlyArray<string>): string {
  const byLabel = new Map<string, number>();
  for (const { type, confidence } of scoreSection(model, features)) {
    const label = mtsSectionLabel(type);
    byLabel.set(label, (byLabel.get(label) ?? 0) + confidence);
  }
  return [...byLabel.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

export function mtsAccuracy(model: SectionClassifierModel, file: string): number {
  const rows = readMtsDialog(file);
  const correct = rows.filter((row) => predictMtsLabel(model, sectionFeatures(row.text)) === row.label).length;
  return correct / rows.length;
}

/** 5-fold cross-validated accuracy on the MTS-Dialog training set (ACI-BENCH sections always in training). */
export function crossValidate(mts: Example[], aci: Example[], options: TrainOptions = defaultTrainOptions): number {
  const folds = 5;
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const test = mts.filter((_, i) => i % folds === f);
    const train_ = [...mts.filter((_, i) => i % folds !== f), ...aci];
    const m = train(train_, options);
    correct += test.filter((e) => predictMtsLabel(m, e.features) === mtsSectionLabel(e.label)).length;
  }
  return correct / mts.length;
}

/** Texts compared the way a reader would: lower-case words and numbers only. */
function sameText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

export interface LabelCeiling {
  /** Training rows whose text also occurs in training under another label. */
  ambiguousRows: number;
  /** Errors any text-only classifier makes on those rows (each text can get one label only). */
  forcedErrors: number;
  /** Rows of `other` whose text occurs verbatim in training, and how many of them carry a label other than the training majority. */
  otherSeen: number;
  otherAgainstMajority: number;
}

/**
 * How far section text alone can go: the same text under several labels ("None." is filed under seven) caps the
 * accuracy of any classifier that reads only the text.
 */
export function labelCeiling(training: ReadonlyArray<{ label: string; text: string }>, other: ReadonlyArray<{ label: string; text: string }>): LabelCeiling {
  const labelsByText = new Map<string, Map<string, number>>();
  for (const row of training) {
    const labels = labelsByText.get(sameText(row.text)) ?? new Map<string, number>();
    labels.set(row.label, (labels.get(row.label) ?? 0) + 1);
    labelsByText.set(sameText(row.text), labels);
  }
  let ambiguousRows = 0;
  let forcedErrors = 0;
  for (const labels of labelsByText.values()) {
    if (labels.size < 2) continue;
    const counts = [...labels.values()];
    const rows = counts.reduce((a, b) => a + b, 0);
    ambiguousRows += rows;
    forcedErrors += rows - Math.max(...counts);
  }
  let otherSeen = 0;
  let otherAgainstMajority = 0;
  for (const row of other) {
    const labels = labelsByText.get(sameText(row.text));
    if (!labels) continue;
    otherSeen++;
    const majority = [...labels.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    if (majority !== row.label) otherAgainstMajority++;
  }
  return { ambiguousRows, forcedErrors, otherSeen, otherAgainstMajority };
}

