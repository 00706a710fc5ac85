/**
 * The mention finder's tokens and the features computed for each, shared by the training export
 * (models/ner/featurize.ts) and the runtime, so the model always sees at run time what it saw in training.
 *
 * Tokens are finer than the structurer's: letter runs, digit runs and single symbols, so that gold mention edges
 * in biomedical text fall on token edges ("alpha-methyldopa" → alpha - methyldopa; "5-FU" → 5 - FU).
 */
import { lexicons } from '../lexicons.ts';
import { tokenIndexAt, tokenize as structurerTokens } from '../../../text/tokens.ts';

export interface NerToken {
  text: string;
  start: number;
  end: number;
}

const tokenPattern = /[\p{L}\p{M}]+|\d+|[^\s\p{L}\p{M}\d]/gu;

export function nerTokens(text: string): NerToken[] {
  const out: NerToken[] = [];
  for (const m of text.matchAll(tokenPattern)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** The embedding key: lowercase, every digit 0 (models/ner/prepare_corpus.py writes the corpus the same way). */
export function wordKey(word: string): string {
  return word.toLowerCase().replace(/\d/g, '0');
}

/** Longest characters per word the character network reads; longer words keep their first and last halves. */
export const MAX_WORD_CHARS = 20;

/** Character ids: ASCII code + 2 (0 = padding, 1 = any other character). */
export function charIds(word: string): number[] {
  const chars = word.length > MAX_WORD_CHARS ? word.slice(0, MAX_WORD_CHARS / 2) + word.slice(-MAX_WORD_CHARS / 2) : word;
  const ids: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    ids.push(c < 128 ? c + 2 : 1);
  }
  return ids;
}

export const CHAR_VOCABULARY = 130;

/**
 * Per-token features: word shape (4) and gazetteer membership (6: begin/inside of a longest match in the ICD-10-CM
 * problem lexicon, in its Table of Drugs and Chemicals, and in the drug lexicon built from RxNorm, DrugBank and
 * Drugs@FDA).
 */
export const FEATURE_NAMES = [
  'capitalised',
  'all-capitals',
  'has-digit',
  'symbol',
  'problem-begin',
  'problem-inside',
  'icd-chemical-begin',
  'icd-chemical-inside',
  'drug-begin',
  'drug-inside',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;
const GAZETTEER_FIRST = 4;

export interface FeatureOptions {
  /** Leave the gazetteer features at zero (the ablation without them). */
  gazetteer?: boolean;
}

export function tokenFeatures(text: string, tokens: ReadonlyArray<NerToken>, options: FeatureOptions = {}): Float32Array {
  const features = new Float32Array(tokens.length * FEATURE_COUNT);
  tokens.forEach((t, i) => {
    const row = i * FEATURE_COUNT;
    const first = t.text[0]!;
    if (first !== first.toLowerCase()) features[row] = 1;
    if (t.text.length > 1 && t.text === t.text.toUpperCase() && t.text !== t.text.toLowerCase()) features[row + 1] = 1;
    if (/\d/.test(t.text)) features[row + 2] = 1;
    if (!/[\p{L}\p{M}\d]/u.test(t.text)) features[row + 3] = 1;
  });
  if (options.gazetteer === false) return features;
  const lex = lexicons();
  const words = structurerTokens(text);
  const mark = (start: number, end: number, slot: number) => {
    // Tokens are sorted by offset; a match covers the NER tokens lying inside it.
    let i = tokenIndexAt(tokens, start);
    for (let first = true; i < tokens.length && tokens[i]!.end <= end; i++, first = false) {
      features[i * FEATURE_COUNT + GAZETTEER_FIRST + slot + (first ? 0 : 1)] = 1;
    }
  };
  for (const m of lex.problems.matchAll(words)) mark(m.start, m.end, m.value.source === 'drug-table' ? 2 : 0);
  for (const m of lex.drugs.matchAll(words)) mark(m.start, m.end, 4);
  return features;
}

/**
 * The gazetteer on its own, as mentions: longest lexicon matches, problems as diseases, drugs and the ICD-10-CM
 * Table of Drugs and Chemicals as chemicals (the "gazetteer only" row of the ablation).
 */
export function gazetteerMentions(text: string): Array<{ start: number; end: number; type: 'disease' | 'chemical' }> {
  const lex = lexicons();
  const words = structurerTokens(text);
  const drugs = lex.drugs.matchAll(words).map((m) => ({ start: m.start, end: m.end, type: 'chemical' as const }));
  const problems = lex.problems
    .matchAll(words)
    .map((m) => ({ start: m.start, end: m.end, type: m.value.source === 'drug-table' ? ('chemical' as const) : ('disease' as const) }));
  // A drug-lexicon match wins over an overlapping problem match ("insulin" is both a drug and an ICD-10-CM chemical).
  return [...drugs, ...problems.filter((p) => !drugs.some((d) => d.start < p.end && p.start < d.end))];
}
