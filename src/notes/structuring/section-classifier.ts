/**
 * Section type of an unheaded stretch of text, from its content: a multinomial logistic regression over sparse
 * binary features (words, word pairs, first words, word endings, lexicon counts, "names a section" cues, and
 * counts of negation, body-system, dose, surgery, relative, social-habit, allergy, pronoun and past-tense words
 * plus punctuation shape). The feature vector is scaled by 1/sqrt(number of features), so long texts do not get
 * overconfident scores. Weights are a committed artifact (models/lexicons/section-classifier.json) trained by
 * models/lexicons/train-section-classifier.ts on the MTS-Dialog and ACI-BENCH training splits only; the feature
 * set, the scaling and the training settings were chosen by 5-fold cross-validation on the MTS-Dialog training
 * set (never on a validation or test split).
 */
import { lexicons } from './lexicons.ts';
import { sectionTypeForHeader, type SectionType } from './section-catalog.ts';
import { tokenize } from '../../text/tokens.ts';

export const SECTION_CLASSIFIER_VERSION = 2;

export interface SectionClassifierModel {
  version: number;
  labels: SectionType[];
  bias: number[];
  /** Feature values are number-of-features^-featureScaleExponent (0.5: unit-length binary vectors). */
  featureScaleExponent: number;
  /** feature → weights per label (same order as labels). */
  weights: Record<string, number[]>;
}

/** Words that can belong to a section name; phrases without one are not looked up as names. */
const sectionWord = /^(history|complaints?|ros|hpi|pmh|cc|allerg\w*|medications?|meds|surger(y|ies)|surgical|exam\w*|diagnos\w*|plans?|assessment|impressions?|immuni[sz]ations?|vaccin\w*|procedures?|disposition|vitals?|labs?|laboratory|results?|review|systems|family|social|physical|course|instructions)$/i;
const standaloneSectionWords = /^(ros|hpi|pmh|cc|allergies|medications|surgery|surgeries|immunizations|vaccinations|disposition)$/i;

function bucket(n: number): string {
  return n === 0 ? '0' : n === 1 ? '1' : n <= 3 ? '2-3' : 'many';
}

/** Word classes whose counts tell sections apart (matched against normalised words). */
const cueClasses: ReadonlyArray<[string, RegExp]> = [
  // Denials and negatives mark review of systems (and "none" lists).
  ['neg', /^(no|not|denie?s?|deny|denied|negative|without|none|non|nor|never)$/],
  // Body systems: a review of systems walks through many of them.
  ['sys', /^(constitutional|heent|eyes?|ears?|nose|throat|ent|cardiovascular|cardiac|respiratory|pulmonary|gastrointestinal|gi|genitourinary|gu|musculoskeletal|skin|integumentary|neurologic(al)?|neuro|psychiatric|psych|endocrine|hematologic(al)?|lymphatic|allergic|immunologic(al)?|breast)$/],
  // Doses and schedules: medication lists.
  ['dose', /^(mg|mcg|milligram|daily|bid|tid|qid|prn|qd|tablet|tab|capsule|units?|twice|nightly|q\.?d|po|dose)$/],
  // Operations: past surgical history.
  ['surg', /(ectomy|ostomy|otomy|plasty|pexy|rrhaphy|scopy|surgery|surgical|repair|replacement|removal|resection|operation|graft|bypass|fusion|section|fixation|ligation)$/],
  ['fam', /^(mother|father|sister|brother|sibling|daughter|son|grandmother|grandfather|grandparent|aunt|uncle|cousin|parent|family|maternal|paternal|mom|dad|child|children|wife|husband)$/],
  ['soc', /^(smoke|smoker|smoking|tobacco|cigarette|alcohol|drink|drinking|drug|married|single|divorced|widowed|lives|work|works|worked|retired|employed|job|occupation|exercise|student|school)$/],
  ['allg', /^(allergy|allergic|allergie|nkda|nka|reaction|rash|hives|intolerance|sensitive|sensitivity)$/],
  // Narrative about the patient (present illness) rather than a list.
  ['pron', /^(he|she|his|her|patient|they)$/],
  ['past', /^(was|were|had|did|presented|developed|started|began|noted|went|came|ago|yesterday|last)$/],
];

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
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
  const wordNorms = tokens.filter((t) => t.kind === 'word').map((t) => t.norm);
  for (const [name, pattern] of cueClasses) {
    let n = 0;
    for (const w of wordNorms) if (pattern.test(w)) n++;
    features.add(`${name}:${bucket(n)}`);
  }
  // Punctuation shape: comma lists, sentence count, inline "HEADER:" labels, capitalised headings.
  features.add(`commas:${bucket(count(text, ','))}`);
  features.add(`sents:${bucket(count(text, '.'))}`);
  features.add(`colons:${bucket(count(text, ':'))}`);
  features.add(`caps:${bucket((text.match(/\b[A-Z]{3,}\b/g) ?? []).length)}`);
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
  const value = Math.pow(Math.max(1, features.length), -model.featureScaleExponent);
  for (const f of features) {
    const w = model.weights[f];
    if (!w) continue;
    for (let k = 0; k < scores.length; k++) scores[k]! += value * w[k]!;
  }
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return model.labels
    .map((type, k) => ({ type, confidence: exps[k]! / total }))
    .sort((a, b) => b.confidence - a.confidence);
}

let readModel: (() => SectionClassifierModel) | undefined;
let model: SectionClassifierModel | null = null;

/** Installs where the classifier weights (checked for SECTION_CLASSIFIER_VERSION) come from (the process's composition root does, once); drops loaded ones. */
export function useSectionClassifier(read: () => SectionClassifierModel): void {
  readModel = read;
  model = null;
}

/** The committed classifier weights, read on the first call and shared by every later call in the process. */
export function loadSectionClassifier(): SectionClassifierModel {
  if (!model) {
    if (!readModel) throw new Error('no section classifier installed: the composition root calls installModelFiles (src/model-files.ts)');
    model = readModel();
  }
  return model;
}

/** Every section type with its probability for a stretch of note text, judged by its content alone; best first. */
export function sectionContentScores(text: string): SectionPrediction[] {
  return scoreSection(loadSectionClassifier(), sectionFeatures(text));
}

/** The most likely section type of a stretch of note text, judged by its content alone. */
export function classifySectionContent(text: string): SectionPrediction {
  return sectionContentScores(text)[0]!;
}
