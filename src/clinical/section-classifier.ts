/**
 * Section type of an unheaded stretch of text, from its content: a multinomial logistic regression over
 * words, word pairs and a few layout and lexicon cues. Weights are a committed artifact
 * (models/lexicons/section-classifier.json) trained by models/lexicons/train-section-classifier.ts on the
 * MTS-Dialog and ACI-BENCH training splits only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lexiconDir, lexicons } from './lexicons.ts';
import { sectionTypeForHeader, type SectionType } from './section-catalog.ts';
import { tokenize } from './text.ts';

export const SECTION_CLASSIFIER_VERSION = 1;

export interface SectionClassifierModel {
  version: number;
  labels: SectionType[];
  bias: number[];
  /** feature → weights per label (same order as labels). */
  weights: Record<string, number[]>;
}

/** Words that can belong to a section name; phrases without one are not looked up as names. */
const sectionWord = /^(history|complaints?|ros|hpi|pmh|cc|allerg\w*|medications?|meds|surger(y|ies)|surgical|exam\w*|diagnos\w*|plans?|assessment|impressions?|immuni[sz]ations?|vaccin\w*|procedures?|disposition|vitals?|labs?|laboratory|results?|review|systems|family|social|physical|course|instructions)$/i;
const standaloneSectionWords = /^(ros|hpi|pmh|cc|allergies|medications|surgery|surgeries|immunizations|vaccinations|disposition)$/i;

function bucket(n: number): string {
  return n === 0 ? '0' : n === 1 ? '1' : n <= 3 ? '2-3' : 'many';
}

/** The sparse binary features of a text (deduplicated). */
export function sectionFeatures(text: string): string[] {
  const tokens = tokenize(text);
  const words = tokens.filter((t) => t.kind !== 'punct' || t.text === '?' || t.text === ':');
  const features = new Set<string>();
  const norms = words.map((t) => (t.kind === 'number' ? '<num>' : t.norm));
  for (let i = 0; i < norms.length; i++) {
    features.add(`w:${norms[i]}`);
    if (i + 1 < norms.length) features.add(`b:${norms[i]}_${norms[i + 1]}`);
  }
  for (const w of norms.slice(0, 3)) features.add(`first:${w}`);
  const wordCount = tokens.filter((t) => t.kind === 'word').length;
  features.add(`len:${wordCount <= 3 ? 'tiny' : wordCount <= 10 ? 'short' : wordCount <= 40 ? 'medium' : 'long'}`);
  for (const t of tokens) if (t.kind === 'word' && t.norm.length > 5) features.add(`suffix:${t.norm.slice(-4)}`);
  const lex = lexicons();
  const drugs = lex.drugs.matchAll(tokens).filter((m) => !m.value.weak).length;
  features.add(`drugs:${bucket(drugs)}`);
  const problems = lex.problems.matchAll(tokens);
  const symptoms = problems.filter((m) => m.value.codes[0]!.startsWith('R')).length;
  features.add(`symptoms:${bucket(symptoms)}`);
  features.add(`diagnoses:${bucket(problems.length - symptoms)}`);
  features.add(`labs:${bucket(lex.labs.matchAll(tokens).length)}`);
  // A text that names a section ("the remaining ROS is…", "no chief complaint") says what it is. Only phrases
  // holding a section word are looked up, which keeps long paragraphs fast.
  for (let i = 0; i < words.length; i++) {
    if (!sectionWord.test(words[i]!.text)) continue;
    for (let from = Math.max(0, i - 2); from <= i; from++) {
      for (let to = i + 1; to <= Math.min(words.length, from + 3); to++) {
        const phrase = words.slice(from, to).map((t) => t.text).join(' ');
        const named = sectionTypeForHeader(phrase);
        if (named && (to - from > 1 || standaloneSectionWords.test(phrase))) features.add(`names:${named}`);
      }
    }
  }
  return [...features];
}

export interface SectionPrediction {
  type: SectionType;
  confidence: number;
}

/** Softmax scores of a model for a feature list, best first. */
export function scoreSection(model: SectionClassifierModel, features: ReadonlyArray<string>): SectionPrediction[] {
  const scores = [...model.bias];
  for (const f of features) {
    const w = model.weights[f];
    if (!w) continue;
    for (let k = 0; k < scores.length; k++) scores[k]! += w[k]!;
  }
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return model.labels
    .map((type, k) => ({ type, confidence: exps[k]! / total }))
    .sort((a, b) => b.confidence - a.confidence);
}

let model: SectionClassifierModel | null = null;

function loadModel(): SectionClassifierModel {
  if (!model) {
    const file = path.join(lexiconDir(), 'section-classifier.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as SectionClassifierModel;
    if (data.version !== SECTION_CLASSIFIER_VERSION) {
      throw new Error(`${file} has classifier version ${data.version}, expected ${SECTION_CLASSIFIER_VERSION}`);
    }
    model = data;
  }
  return model;
}

/** Every section type with its probability for a stretch of note text, judged by its content alone; best first. */
export function sectionContentScores(text: string): SectionPrediction[] {
  return scoreSection(loadModel(), sectionFeatures(text));
}

/** The most likely section type of a stretch of note text, judged by its content alone. */
export function classifySectionContent(text: string): SectionPrediction {
  return sectionContentScores(text)[0]!;
}
