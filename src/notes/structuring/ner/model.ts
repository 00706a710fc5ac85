/**
 * The learned disease/chemical mention finder: tokens and features (tokens.ts) → emission scores from the ONNX
 * network (run by whoever loaded it, see load.ts) → CRF decoding (decode.ts) → the annotation conventions learned
 * from the training splits (memory.json: boundaries.ts, memory.ts, adjectives.ts) → document-level propagation
 * (propagate.ts) → coordination (coordination.ts) → character spans with a probability.
 */
import { tagDerivedDiseaseWords } from './adjectives.ts';
import { adjustDiseaseEdges } from './boundaries.ts';
import { joinCoordinatedModifiers } from './coordination.ts';
import { marginals, tagsToSpans, viterbi, type CrfHead } from './decode.ts';
import { applyMemory, type NameMemory } from './memory.ts';
import { propagateMentions, resolveAbbreviations, type TokenSpan } from './propagate.ts';
import { charIds, MAX_WORD_CHARS, nerTokens, tokenFeatures, wordKey } from './tokens.ts';

export type NerMentionType = 'disease' | 'chemical';

export interface NerMention {
  start: number;
  end: number;
  type: NerMentionType;
  /** Mean probability, over the mention's tokens, of the tags that make it (CRF marginals). */
  score: number;
}

/**
 * The two output heads share one network: `cdr` follows BC5CDR's conventions (chemicals and diseases) and is the
 * one for notes; `ncbi` follows NCBI-disease's (diseases only, e.g. "ovarian cancer" kept whole in "breast and
 * ovarian cancer").
 */
export type NerHead = 'cdr' | 'ncbi';

export interface NerInput {
  tokens: number;
  /** [tokens] vocabulary ids (0 padding, 1 unknown). */
  words: BigInt64Array;
  /** Distinct words (by the characters the network reads): the character network runs once per distinct word. */
  distinct: number;
  /** [distinct × MAX_WORD_CHARS] character ids of the distinct words. */
  chars: BigInt64Array;
  /** [tokens] row of `chars` holding each token's characters. */
  charIndex: BigInt64Array;
  /** [tokens × FEATURE_COUNT]. */
  features: Float32Array;
}

export interface NerModel {
  vocabulary: ReadonlyMap<string, number>;
  heads: Readonly<Record<NerHead, CrfHead>>;
  /** Whether the network was trained with gazetteer features (the ablation model was not). */
  gazetteer: boolean;
  /** Name memory from the training annotations (memory.json), per head; absent if the folder has none. */
  memory?: Readonly<Record<NerHead, NameMemory>> | undefined;
  /** Emission scores per head, [tokens × labels] row-major. */
  emissions(input: NerInput): Promise<Record<NerHead, Float32Array>>;
}

export function encodeTokens(model: Pick<NerModel, 'vocabulary' | 'gazetteer'>, text: string, tokens: ReturnType<typeof nerTokens>): NerInput {
  const n = tokens.length;
  const words = new BigInt64Array(n);
  const charIndex = new BigInt64Array(n);
  const rows = new Map<string, number>();
  const rowWords: string[] = [];
  tokens.forEach((t, i) => {
    words[i] = BigInt(model.vocabulary.get(wordKey(t.text)) ?? 1);
    let row = rows.get(t.text);
    if (row === undefined) {
      row = rowWords.length;
      rows.set(t.text, row);
      rowWords.push(t.text);
    }
    charIndex[i] = BigInt(row);
  });
  const chars = new BigInt64Array(rowWords.length * MAX_WORD_CHARS);
  rowWords.forEach((w, r) => charIds(w).forEach((c, j) => (chars[r * MAX_WORD_CHARS + j] = BigInt(c))));
  return { tokens: n, words, distinct: rowWords.length, chars, charIndex, features: tokenFeatures(text, tokens, { gazetteer: model.gazetteer }) };
}

export interface FindOptions {
  head?: NerHead;
  /** Document-level consistency and abbreviation definitions (propagate.ts); default true. */
  propagate?: boolean;
  /**
   * Apply what the model learned from the training annotations when it has it (memory.json): disease-start edge
   * words (boundaries.ts), the name memory (memory.ts) and coordinated modifiers (coordination.ts); default true.
   */
  memory?: boolean;
}

/** Finds disease and chemical mentions in a text (any length; the network reads it as one sequence). */
export async function findMentions(model: NerModel, text: string, options: FindOptions = {}): Promise<NerMention[]> {
  const head = options.head ?? 'cdr';
  const tokens = nerTokens(text);
  if (tokens.length === 0) return [];
  const emissions = (await model.emissions(encodeTokens(model, text, tokens)))[head];
  const crf = model.heads[head];
  const path = viterbi(emissions, tokens.length, crf);
  const probabilities = marginals(emissions, tokens.length, crf);
  const k = crf.labels.length;
  const spans = tagsToSpans(path, crf.labels).map((span) => {
    let sum = 0;
    for (let t = span.firstToken; t < span.endToken; t++) sum += probabilities[t * k + path[t]!]!;
    return { ...span, score: sum / (span.endToken - span.firstToken) };
  });
  const memory = options.memory === false ? undefined : model.memory?.[head];
  let remembered: TokenSpan[] = spans;
  if (memory) {
    remembered = adjustDiseaseEdges(tokens, remembered, memory.edges, memory.modifiers);
    remembered = applyMemory(tokens, remembered, memory);
    remembered = tagDerivedDiseaseWords(tokens, remembered, (name) => memory.diseaseNouns.has(name));
  }
  const propagated = options.propagate === false ? remembered : resolveAbbreviations(text, tokens, propagateMentions(tokens, remembered));
  return (memory ? joinCoordinatedModifiers(tokens, propagated, memory.modifiers) : propagated).map((span) => ({
    start: tokens[span.firstToken]!.start,
    end: tokens[span.endToken - 1]!.end,
    type: span.type as NerMentionType,
    score: span.score,
  }));
}

