/**
 * CodiEsp-D evaluation of the code suggestions: MAP as the CodiEsp track defines it (per document, average
 * precision of the ranked codes against the gold codes, averaged over documents with gold codes), MAP on
 * three-character categories, precision/recall/F1 of the proposed codes (score at or above the operating
 * threshold), recall@10/@20, suggestion time per document and how well the scores are calibrated (expected
 * calibration error: a suggestion scored 0.7 should be a gold code about 70% of the time); plus per-code misses
 * and false positives.
 */
import { structureNote } from '../src/notes/structuring/structure.ts';
import type { CodiEspDocument } from '../src/coding/icd10/training/codiesp.ts';
import { readCodiEspSplit } from '../src/coding/icd10/training/codiesp-files.ts';
import { suggestCodes, type Suggestion } from '../src/coding/icd10/suggest.ts';
import type { Ranker } from '../src/coding/icd10/ranker/model.ts';

/** Ranked list length used for MAP: deep enough that the list, not the cut-off, decides the score. */
export const rankedListLength = 100;

export function averagePrecision(ranked: ReadonlyArray<string>, gold: ReadonlySet<string>): number {
  if (gold.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  const seen = new Set<string>();
  for (const code of ranked) {
    if (seen.has(code)) continue;
    seen.add(code);
    if (gold.has(code)) {
      hits++;
      sum += hits / seen.size;
    }
  }
  return sum / gold.size;
}

export function recallAt(ranked: ReadonlyArray<string>, gold: ReadonlySet<string>, k: number): number {
  if (gold.size === 0) return 0;
  return new Set(ranked.slice(0, k).filter((c) => gold.has(c))).size / gold.size;
}

function categories(codes: Iterable<string>): string[] {
  const seen: string[] = [];
  for (const code of codes) if (!seen.includes(code.slice(0, 3))) seen.push(code.slice(0, 3));
  return seen;
}

export interface CodeErrors {
  code: string;
  title: string;
  gold: number;
  misses: number;
  falsePositives: number;
}

export interface CodiEspResult {
  n_docs: number;
  map: number;
  map_category: number;
  precision: number;
  recall: number;
  f1: number;
  recall_at_10: number;
  recall_at_20: number;
  ms_per_doc: number;
  /** Expected calibration error of the scores of every ranked suggestion (10 equal-width bins). */
  ece: number;
  errors: CodeErrors[];
}

/** Expected calibration error: the bin-size-weighted gap between mean score and hit rate, over equal-width bins. */
export function expectedCalibrationError(scored: ReadonlyArray<{ score: number; hit: boolean }>, bins = 10): number {
  if (scored.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const scoreSum = new Array<number>(bins).fill(0);
  const hitSum = new Array<number>(bins).fill(0);
  for (const { score, hit } of scored) {
    const b = Math.min(bins - 1, Math.floor(score * bins));
    count[b]!++;
    scoreSum[b]! += score;
    if (hit) hitSum[b]!++;
  }
  let gap = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) gap += Math.abs(scoreSum[b]! - hitSum[b]!);
  return gap / scored.length;
}

export interface CodiEspEvaluationOptions {
  dir: string;
  split: string;
  ranker?: Ranker;
  onDocument?: () => void;
}

export function scoreDocuments(
  documents: ReadonlyArray<CodiEspDocument>,
  suggest: (document: CodiEspDocument) => Suggestion[],
  onDocument?: () => void,
): CodiEspResult {
  const withGold = documents.filter((d) => d.codes.length > 0);
  let apSum = 0;
  let apCategorySum = 0;
  let r10 = 0;
  let r20 = 0;
  let truePositives = 0;
  let proposedCount = 0;
  let goldCount = 0;
  let elapsed = 0;
  const scored: Array<{ score: number; hit: boolean }> = [];
  const errors = new Map<string, CodeErrors>();
  const errorsFor = (code: string, title: string) => {
    let entry = errors.get(code);
    if (!entry) {
      entry = { code, title, gold: 0, misses: 0, falsePositives: 0 };
      errors.set(code, entry);
    }
    return entry;
  };
  for (const document of withGold) {
    const started = performance.now();
    const suggestions = suggest(document);
    elapsed += performance.now() - started;
    const gold = new Set(document.codes);
    const ranked = suggestions.map((s) => s.code);
    for (const s of suggestions) scored.push({ score: s.score, hit: gold.has(s.code) });
    apSum += averagePrecision(ranked, gold);
    apCategorySum += averagePrecision(categories(ranked), new Set(categories(gold)));
    r10 += recallAt(ranked, gold, 10);
    r20 += recallAt(ranked, gold, 20);
    const proposed = suggestions.filter((s) => s.proposed);
    const proposedCodes = new Set(proposed.map((s) => s.code));
    proposedCount += proposedCodes.size;
    goldCount += gold.size;
    for (const s of proposed) {
      if (gold.has(s.code)) truePositives++;
      else errorsFor(s.code, s.title).falsePositives++;
    }
    for (const code of gold) {
      const entry = errorsFor(code, suggestions.find((s) => s.code === code)?.title ?? '');
      entry.gold++;
      if (!proposedCodes.has(code)) entry.misses++;
    }
    onDocument?.();
  }
  const n = Math.max(1, withGold.length);
  const precision = proposedCount > 0 ? truePositives / proposedCount : 0;
  const recall = goldCount > 0 ? truePositives / goldCount : 0;
  const round = (x: number) => Number(x.toFixed(4));
  return {
    n_docs: withGold.length,
    map: round(apSum / n),
    map_category: round(apCategorySum / n),
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0),
    recall_at_10: round(r10 / n),
    recall_at_20: round(r20 / n),
    ms_per_doc: Number((elapsed / n).toFixed(2)),
    ece: round(expectedCalibrationError(scored)),
    errors: [...errors.values()].sort((a, b) => b.misses + b.falsePositives - (a.misses + a.falsePositives) || (a.code < b.code ? -1 : 1)),
  };
}

export type CodingConvention = 'codiesp' | 'clinical';

/**
 * Scores documents under both coding conventions. Every document is structured first (the note pipeline does
 * that before coding), once and outside the timing: `ms_per_doc` is the suggestion time alone.
 * - `codiesp` codes every mentioned condition, as the CodiEsp annotators did (their gold codes include negated,
 *   past and relatives' conditions);
 * - `clinical` applies the product's coding rules (no code for negated, hypothetical or family mentions,
 *   history codes for past ones, uncertain diagnoses not proposed).
 */
export function scoreConventions(
  documents: ReadonlyArray<CodiEspDocument>,
  ranker: Ranker | undefined,
  onDocument?: () => void,
): Record<CodingConvention, CodiEspResult> {
  const structured = new Map(documents.map((d) => [d.id, structureNote(d.english)]));
  const score = (convention: CodingConvention) => {
    const suggestOptions = { top: rankedListLength, ranker, codeAllMentions: convention === 'codiesp' };
    // Load the code set, ranker and term index before timing, as a running service would have them loaded.
    suggestCodes({ text: 'warm-up' }, suggestOptions);
    return scoreDocuments(documents, (d) => suggestCodes({ text: d.english, structured: structured.get(d.id) }, suggestOptions), onDocument);
  };
  return { codiesp: score('codiesp'), clinical: score('clinical') };
}

export function evaluateCodiEsp(options: CodiEspEvaluationOptions): Record<CodingConvention, CodiEspResult> {
  return scoreConventions(readCodiEspSplit(options.dir, options.split), options.ranker, options.onDocument);
}

/** A Markdown report of the codes missed and wrongly proposed most often, for the error analysis. */
export function errorReport(result: CodiEspResult, split: string, rankerVersion: string, rows = 40): string {
  const table = (title: string, key: 'misses' | 'falsePositives') => {
    const top = result.errors.filter((e) => e[key] > 0).sort((a, b) => b[key] - a[key] || (a.code < b.code ? -1 : 1)).slice(0, rows);
    return [
      `## ${title}`,
      '',
      '| code | title | gold notes | misses | false positives |',
      '|---|---|---|---|---|',
      ...top.map((e) => `| ${e.code} | ${e.title.replace(/\|/g, '/')} | ${e.gold} | ${e.misses} | ${e.falsePositives} |`),
      '',
    ].join('\n');
  };
  const { errors: _errors, ...metrics } = result;
  return [
    `# CodiEsp ${split}: per-code errors`,
    '',
    `Ranker ${rankerVersion}. Misses: gold codes not proposed (score below the operating threshold or not suggested). False positives: proposed codes not in the gold set.`,
    '',
    '```json',
    JSON.stringify(metrics),
    '```',
    '',
    table('Most frequent misses', 'misses'),
    table('Most frequent false positives', 'falsePositives'),
  ].join('\n');
}
