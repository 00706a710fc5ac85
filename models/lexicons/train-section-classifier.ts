/**
 * Trains the content-based section classifier (src/clinical/section-classifier.ts) and writes its weights to
 * models/lexicons/section-classifier.json. Training data: MTS-Dialog TRAINING set section texts and the sections
 * of the ACI-BENCH TRAIN notes (split at their headers). Validation sets are never trained on; pass
 * --report to print MTS-Dialog validation accuracy for the regularisation strengths tried.
 *
 *   npx tsx models/lexicons/train-section-classifier.ts [--report]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../src/config/paths.ts';
import { SECTION_CLASSIFIER_VERSION, scoreSection, sectionFeatures, type SectionClassifierModel } from '../../src/clinical/section-classifier.ts';
import { sectionTypes, type SectionType } from '../../src/clinical/section-catalog.ts';
import { lexiconDir } from '../../src/clinical/lexicons.ts';
import { detectSections } from '../../src/clinical/sections.ts';
import { mtsLabelToSection, readAciNotes, readMtsDialog, mtsSectionLabel } from '../../eval/sections-data.ts';

interface Example {
  features: string[];
  label: SectionType;
  weight: number;
}

function mtsExamples(file: string): Example[] {
  return readMtsDialog(file).map((row) => ({ features: sectionFeatures(row.text), label: mtsLabelToSection(row.label, row.text), weight: 1 }));
}

/** ACI-BENCH notes split at their headers; each section body labelled with its header's type. */
function aciExamples(split: string): Example[] {
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

function train(examples: Example[], l2: number, epochs: number): SectionClassifierModel {
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
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  features.forEach((f, i) => {
    const w = Array.from(W.subarray(i * K, (i + 1) * K), round);
    if (w.some((x) => x !== 0)) weights[f] = w;
  });
  return { version: SECTION_CLASSIFIER_VERSION, labels, bias: Array.from(b, round), weights };
}

function mtsAccuracy(model: SectionClassifierModel, file: string): number {
  const rows = readMtsDialog(file);
  const correct = rows.filter((row) => mtsSectionLabel(scoreSection(model, sectionFeatures(row.text))[0]!.type) === row.label).length;
  return correct / rows.length;
}

const report = process.argv.includes('--report');
const mtsDir = path.join(sharedDataDir(), 'eval', 'mts-dialog');
const examples = [...mtsExamples(path.join(mtsDir, 'MTS-Dialog-TrainingSet.csv')), ...aciExamples('train')];
const l2 = 1e-3;
const epochs = 300;
if (report) {
  const validation = path.join(mtsDir, 'MTS-Dialog-ValidationSet.csv');
  const mtsOnly = examples.filter((e) => e.weight === 1);
  for (const [name, set] of [['mts+aci', examples], ['mts', mtsOnly]] as const) {
    for (const candidate of [1e-4, 1e-3, 3e-3, 1e-2]) {
      const m = train(set, candidate, epochs);
      process.stdout.write(`${name} l2=${candidate} mts-validation accuracy=${mtsAccuracy(m, validation).toFixed(4)}\n`);
    }
  }
}
const model = train(examples, l2, epochs);
writeFileSync(path.join(lexiconDir(), 'section-classifier.json'), JSON.stringify(model) + '\n');
process.stdout.write(`trained on ${examples.length} sections, ${Object.keys(model.weights).length} features, ${model.labels.length} labels\n`);
