/**
 * Training of the content-based section classifier: example extraction from the MTS-Dialog and ACI-BENCH
 * training splits, multinomial logistic regression (full-batch AdaGrad, L2), and cross-validation.
 */
import path from 'node:path';
import { sharedDataDir } from '../../../src/config/paths.ts';
import { SECTION_CLASSIFIER_VERSION, scoreSection, sectionFeatures, type SectionClassifierModel } from '../../../src/clinical/section-classifier.ts';
import { sectionTypes, type SectionType } from '../../../src/clinical/section-catalog.ts';
import { detectSections } from '../../../src/clinical/sections.ts';
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

export function train(examples: Example[], l2: number, epochs: number): SectionClassifierModel {
  const labels = sectionTypes.filter((t) => examples.some((e) => e.label === t));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const featureCounts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) featureCounts.set(f, (featureCounts.get(f) ?? 0) + 1);
  const features = [...featureCounts.entries()].filter(([, c]) => c >= 2).map(([f]) => f).sort();
  const featureIndex = new Map(features.map((f, i) => [f, i]));
  const K = labels.length;
  const W = new Float64Array(features.length * K);
  const b = new Float64Array(K);
  const gW = new Float64Array(W.length);
  const gb = new Float64Array(K);
  const hW = new Float64Array(W.length).fill(1e-8);
  const hb = new Float64Array(K).fill(1e-8);
  const rows = examples.map((e) => ({ idx: e.features.map((f) => featureIndex.get(f)).filter((i): i is number => i !== undefined), y: labelIndex.get(e.label)!, w: e.weight }));
  const totalWeight = rows.reduce((a, r) => a + r.w, 0);
  const lr = 0.5;
  const scores = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    gW.fill(0);
    gb.fill(0);
    for (const r of rows) {
      for (let k = 0; k < K; k++) scores[k] = b[k]!;
      for (const i of r.idx) for (let k = 0; k < K; k++) scores[k]! += W[i * K + k]!;
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += scores[k] = Math.exp(scores[k]! - max);
      for (let k = 0; k < K; k++) {
        const g = (r.w * (scores[k]! / sum - (k === r.y ? 1 : 0))) / totalWeight;
        gb[k]! += g;
        for (const i of r.idx) gW[i * K + k]! += g;
      }
    }
    for (let j = 0; j < W.length; j++) {
      const g = gW[j]! + l2 * W[j]!;
      hW[j]! += g * g;
      W[j]! -= (lr * g) / Math.sqrt(hW[j]!);
    }
    for (let k = 0; k < K; k++) {
      hb[k]! += gb[k]! * gb[k]!;
      b[k]! -= (lr * gb[k]!) / Math.sqrt(hb[k]!);
    }
  }
  // Three decimals and no near-zero rows: the artifact stays small and the scores do not change measurably.
  const round = (x: number) => Math.round(x * 1e3) / 1e3;
  const weights: Record<string, number[]> = {};
  features.forEach((f, i) => {
    const w = Array.from(W.subarray(i * K, (i + 1) * K), round);
    if (w.some((x) => Math.abs(x) >= 0.02)) weights[f] = w;
  });
  return { version: SECTION_CLASSIFIER_VERSION, labels, bias: Array.from(b, round), weights };
}

export function mtsAccuracy(model: SectionClassifierModel, file: string): number {
  const rows = readMtsDialog(file);
  const correct = rows.filter((row) => mtsSectionLabel(scoreSection(model, sectionFeatures(row.text))[0]!.type) === row.label).length;
  return correct / rows.length;
}

/** 5-fold cross-validated accuracy on the MTS-Dialog training set (ACI-BENCH sections always in training). */
export function crossValidate(mts: Example[], aci: Example[], l2: number, epochs: number): number {
  const folds = 5;
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const test = mts.filter((_, i) => i % folds === f);
    const train_ = [...mts.filter((_, i) => i % folds !== f), ...aci];
    const m = train(train_, l2, epochs);
    correct += test.filter((e) => {
      const predicted = scoreSection(m, e.features)[0]!.type;
      return mtsSectionLabel(predicted) === mtsSectionLabel(e.label);
    }).length;
  }
  return correct / mts.length;
}

