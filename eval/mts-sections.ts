/**
 * MTS-Dialog section type from section text alone: Clinote's content classifier (the one that types unheaded
 * paragraphs) predicts a canonical section, mapped onto MTS-Dialog's 20 labels.
 */
import { classifySectionContent } from '../src/clinical/section-classifier.ts';
import { mtsSectionLabel, readMtsDialog } from './sections-data.ts';

export interface MtsSectionsResult {
  n: number;
  correct: number;
  accuracy: number;
  byLabel: Record<string, { n: number; correct: number; predicted: number }>;
}

export function evaluateMtsSections(file: string, onProgress?: (done: number, total: number) => void): MtsSectionsResult {
  const rows = readMtsDialog(file);
  const byLabel: MtsSectionsResult['byLabel'] = {};
  let correct = 0;
  for (const [i, row] of rows.entries()) {
    const predicted = mtsSectionLabel(classifySectionContent(row.text).type);
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
