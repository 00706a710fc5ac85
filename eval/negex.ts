/**
 * NegEx / ConText test kit evaluation: for every annotated condition, find it in its sentence and compare the
 * context Clinote assigns (negated; historical / hypothetical; family) with the gold negation, temporality and
 * experiencer. File format (tab-separated, header row): number, condition, sentence, negation, temporality, experiencer.
 */
import { readFileSync } from 'node:fs';
import { contextOfSpan } from '../src/notes/structuring/structure.ts';

export interface NegexRow {
  id: string;
  condition: string;
  sentence: string;
  negation: 'Negated' | 'Affirmed' | 'Possible';
  temporality: string;
  experiencer: string;
}

export function readNegexKit(file: string): NegexRow[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim().length > 0);
  // The kit's first half starts with a header row; a continuation file may not.
  const hasHeader = lines.length > 0 && !/^\d/.test(lines[0]!.trim());
  return lines.slice(hasHeader ? 1 : 0).map((line) => {
    const [id, condition, sentence, negation, temporality, experiencer] = line.split('\t');
    return {
      id: id ?? '',
      condition: (condition ?? '').trim(),
      sentence: sentence ?? '',
      negation: (negation ?? '').trim() as NegexRow['negation'],
      temporality: (temporality ?? '').trim(),
      experiencer: (experiencer ?? '').trim(),
    };
  });
}

/** Where the condition stands in its sentence; the kit writes the annotated occurrence in capitals. */
export function locateCondition(sentence: string, condition: string): { start: number; end: number } | null {
  const words = condition.split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return null;
  const pattern = new RegExp(words.join('\\s+'), 'gi');
  let fallback: { start: number; end: number } | null = null;
  for (const m of sentence.matchAll(pattern)) {
    const span = { start: m.index, end: m.index + m[0].length };
    // Section headers are in capitals too ("ALLERGIES: … ALLERGIES."): skip a match that is a header.
    const isHeader = /^\s*:/.test(sentence.slice(span.end));
    if (m[0] === m[0].toUpperCase() && /[A-Z]/.test(m[0]) && !isHeader) return span;
    fallback ??= span;
  }
  return fallback;
}

export interface NegexPrediction {
  negated: boolean;
  temporality: 'Recent' | 'Historical' | 'Not particular';
  experiencer: 'Patient' | 'Family member';
  located: boolean;
}

export function predictNegexRow(row: NegexRow): NegexPrediction {
  const span = locateCondition(row.sentence, row.condition);
  if (!span) return { negated: false, temporality: 'Recent', experiencer: 'Patient', located: false };
  const context = contextOfSpan(row.sentence, span.start, span.end);
  return {
    negated: context.negated,
    temporality: context.hypothetical ? 'Not particular' : context.historical ? 'Historical' : 'Recent',
    experiencer: context.family ? 'Family member' : 'Patient',
    located: true,
  };
}

export interface NegexResult {
  n: number;
  located: number;
  negated: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };
  temporality: { accuracy: number; byGold: Record<string, { n: number; correct: number }> };
  experiencer: { accuracy: number };
}

export function evaluateNegex(rows: ReadonlyArray<NegexRow>, onRow?: () => void): NegexResult {
  let tp = 0, fp = 0, fn = 0, temporalCorrect = 0, experiencerCorrect = 0, located = 0;
  const byGold: Record<string, { n: number; correct: number }> = {};
  for (const row of rows) {
    const p = predictNegexRow(row);
    if (p.located) located++;
    const goldNegated = row.negation === 'Negated';
    if (p.negated && goldNegated) tp++;
    else if (p.negated) fp++;
    else if (goldNegated) fn++;
    const t = (byGold[row.temporality] ??= { n: 0, correct: 0 });
    t.n++;
    if (p.temporality === row.temporality) {
      t.correct++;
      temporalCorrect++;
    }
    if (p.experiencer === row.experiencer) experiencerCorrect++;
    onRow?.();
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    n: rows.length,
    located,
    negated: { tp, fp, fn, precision, recall, f1 },
    temporality: { accuracy: temporalCorrect / rows.length, byGold },
    experiencer: { accuracy: experiencerCorrect / rows.length },
  };
}
