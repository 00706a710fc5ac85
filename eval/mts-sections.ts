/**
 * MTS-Dialog section type from section text alone: Clinote's content classifier (the one that types unheaded
 * paragraphs) scores the canonical sections; the probabilities of the canonical types that fall under one
 * MTS-Dialog label are added up (family and social history are one label there, FAM/SOCHX), and the most
 * probable label is the prediction.
 */
import { sectionContentScores } from '../src/notes/structuring/section-classifier.ts';
import { mtsSectionLabel, readMtsDialog } from './sections-data.ts';

export interface MtsSectionsResult {
  n: number;
  correct: number;
  accuracy: number;
  byLabel: Record<string, { n: number; correct: number; predicted: number }>;
}

export function mostProbableMtsLabel(text: string): string {
  const byLabel = new Map<string, number>();
  for (const { type, confidence } of sectionContentScores(text)) {
    const label = mtsSectionLabel(type);
    byLabel.set(label, (byLabel.get(label) ?? 0) + confidence);
  }
  return [...byLabel.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

export function evaluateMtsSections(file: string, onProgress?: (done: number, total: number) => void): MtsSectionsResult {
  const rows = readMtsDialog(file);
  const byLabel: MtsSectionsResult['byLabel'] = {};
  let correct = 0;
  for (const [i, row] of rows.entries()) {
    const predicted = mostProbableMtsLabel(row.text);
    (byLabel[row.label] ??= { n: 0, correct: 0, predicted: 0 }).n++;
    (byLabel[predicted] ??= { n: 0, correct: 0, predicted: 0 }).predicted++;
    if (predicted === row.label) {
      correct++;
      byLabel[row.label]!.correct++;
    }
    onProgress?.(i + 1, rows.length);
  }
  return { n: rows.length, correct, accuracy: rows.length > 0 ? correct / rows.length : 0, byLabel };
}
