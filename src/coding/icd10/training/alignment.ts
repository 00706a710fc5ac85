/**
 * Sentence alignment between a Spanish CodiEsp document and its English machine translation (one sentence
 * per line), so evidence spans annotated on the Spanish text can be located in the English one.
 * A monotone dynamic programme over Spanish sentence units and English lines (1–4 units to a line, or a line
 * split in two or three), scored on length ratio and on anchors both sides share: numbers and cognates.
 */
import { fold } from '../../../text/fold.ts';

export interface TextRange {
  start: number;
  end: number;
}

export interface SentenceAlignment {
  /** English line ranges (offsets into the English text). */
  englishLines: TextRange[];
  /** For each English line, the Spanish range it translates (empty range when it translates nothing). */
  spanishForLine: TextRange[];
}

function lineRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') ranges.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return ranges;
}

/** Spanish sentence units: split after sentence-final punctuation before a capital, digit or opening mark, and at line breaks. */
function spanishUnits(text: string): TextRange[] {
  const cuts = [0];
  for (const match of text.matchAll(/[.!?]["')\]]?\s+(?=[¿¡"(\p{Lu}\d])|\n+/gu)) cuts.push(match.index + match[0].length);
  cuts.push(text.length);
  const units: TextRange[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    if (text.slice(start, end).trim() !== '') units.push({ start, end });
  }
  return units;
}

interface Anchors {
  length: number;
  numbers: Set<string>;
  /** First five letters of longer words (y→i, ph→f): Spanish and English medical words often share them (diabe-, tumor-, hiper-/hyper-). */
  stems: Set<string>;
}

function anchorsOf(text: string): Anchors {
  const folded = fold(text);
  const numbers = new Set(folded.match(/\d+/g) ?? []);
  const stems = new Set<string>();
  for (const word of folded.match(/\p{L}{5,}/gu) ?? []) stems.add(word.slice(0, 5).replace(/y/g, 'i').replace(/ph/g, 'f'));
  return { length: text.trim().length, numbers, stems };
}

function merge(parts: ReadonlyArray<Anchors>): Anchors {
  if (parts.length === 1) return parts[0]!;
  const merged: Anchors = { length: 0, numbers: new Set(), stems: new Set() };
  for (const p of parts) {
    merged.length += p.length;
    for (const n of p.numbers) merged.numbers.add(n);
    for (const s of p.stems) merged.stems.add(s);
  }
  return merged;
}

function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let count = 0;
  for (const x of a) if (b.has(x)) count++;
  return count;
}

const moves: ReadonlyArray<[spanishUnits: number, englishLines: number, penalty: number]> = [
  [1, 1, 0],
  [2, 1, 0.6],
  [1, 2, 0.6],
  [3, 1, 1.2],
  [1, 3, 1.2],
  [2, 2, 1.2],
  [4, 1, 1.8],
  [0, 1, 0],
  [1, 0, 0],
];

export function alignSentences(spanish: string, english: string): SentenceAlignment {
  const units = spanishUnits(spanish);
  const lines = lineRanges(english);
  const unitAnchors = units.map((u) => anchorsOf(spanish.slice(u.start, u.end)));
  const lineAnchors = lines.map((l) => anchorsOf(english.slice(l.start, l.end)));
  const totalSpanish = unitAnchors.reduce((n, a) => n + a.length, 0);
  const totalEnglish = lineAnchors.reduce((n, a) => n + a.length, 0);
  const ratio = totalEnglish > 0 ? totalSpanish / totalEnglish : 1;

  const n = units.length;
  const m = lines.length;
  const cost = Array.from({ length: n + 1 }, () => new Float64Array(m + 1).fill(Infinity));
  const back = Array.from({ length: n + 1 }, () => new Int8Array(m + 1).fill(-1));
  cost[0]![0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = cost[i]![j]!;
      if (here === Infinity) continue;
      moves.forEach(([a, b, penalty], moveIndex) => {
        if (i + a > n || j + b > m) return;
        let stepCost: number;
        if (a === 0 || b === 0) {
          // Unmatched text: cheap for stray list markers ("1."), expensive for real sentences.
          const skipped = a === 0 ? lineAnchors[j]! : unitAnchors[i]!;
          stepCost = skipped.length <= 4 ? 0.2 : 4 + skipped.length / 40;
        } else {
          const es = merge(unitAnchors.slice(i, i + a));
          const en = merge(lineAnchors.slice(j, j + b));
          const lengthCost = Math.abs(Math.log((es.length + 20) / (ratio * (en.length + 20)))) * 6;
          const anchorBonus = Math.min(3, shared(es.numbers, en.numbers) + 0.5 * shared(es.stems, en.stems));
          stepCost = lengthCost - anchorBonus + penalty;
        }
        const total = here + stepCost;
        if (total < cost[i + a]![j + b]!) {
          cost[i + a]![j + b] = total;
          back[i + a]![j + b] = moveIndex;
        }
      });
    }
  }

  const spanishForLine: TextRange[] = lines.map(() => ({ start: 0, end: 0 }));
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const move = moves[back[i]![j]!];
    if (!move) throw new Error('sentence alignment: no path');
    const [a, b] = move;
    const range = a > 0 ? { start: units[i - a]!.start, end: units[i - 1]!.end } : { start: 0, end: 0 };
    for (let k = j - b; k < j; k++) spanishForLine[k] = range;
    i -= a;
    j -= b;
  }
  return { englishLines: lines, spanishForLine };
}

/** English line indexes whose Spanish range overlaps a Spanish character range. */
export function linesForSpanishRange(alignment: SentenceAlignment, start: number, end: number): number[] {
  const found: number[] = [];
  alignment.spanishForLine.forEach((range, index) => {
    if (range.end > range.start && range.start < end && start < range.end) found.push(index);
  });
  return found;
}
