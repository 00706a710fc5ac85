/**
 * Code references inside instructional notes: "(S79.0-)", "(C50.-)", "(A00-A09)", "C7A.022-C7A.025, C7A.029".
 * A reference covers every code that starts with it (`S79.0-` covers S79.001A) or lies in the range.
 */
import { dottedCode } from './release.ts';

export interface CodeRange {
  first: string;
  last: string;
}

const referencePattern = /\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)\.?(?:-([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?))?-?/g;

export function codeReferences(noteText: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const match of noteText.matchAll(referencePattern)) {
    const first = dottedCode(match[1]!);
    ranges.push({ first, last: match[2] ? dottedCode(match[2]) : first });
  }
  return ranges;
}

/** Compares on the range ends' own length, so `C51-C63` covers C56.9 and `S79.0` covers S79.001A. */
export function inRange(code: string, range: CodeRange): boolean {
  return code.slice(0, range.first.length) >= range.first && code.slice(0, range.last.length) <= range.last;
}
