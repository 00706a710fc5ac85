/**
 * Personal- and family-history codes "where the classification says so": Z80–Z84 (family history) and
 * Z85–Z87 (personal history) carry inclusion terms such as "Conditions classifiable to C50.-", which map a
 * condition code to the history code that replaces it when the condition is past (or a relative's).
 */
import type { CodeSet } from './code-set.ts';
import type { CodeRecord } from './code-set-data.ts';
import { codeReferences, inRange, type CodeRange } from './code-ranges.ts';
import { isContentStem, tokenize } from './text.ts';

export type HistoryKind = 'personal' | 'family';

interface HistoryTarget {
  record: CodeRecord;
  range: CodeRange;
  kind: HistoryKind;
}

function historyKindOf(code: string): HistoryKind | undefined {
  const category = code.slice(0, 3);
  if (category >= 'Z80' && category <= 'Z84') return 'family';
  if (category >= 'Z85' && category <= 'Z87') return 'personal';
  return undefined;
}

const targetsByCodeSet = new WeakMap<CodeSet, HistoryTarget[]>();

function targetsFor(codeSet: CodeSet): HistoryTarget[] {
  let targets = targetsByCodeSet.get(codeSet);
  if (targets) return targets;
  targets = [];
  for (const record of codeSet.records) {
    const kind = historyKindOf(record.code);
    if (!kind) continue;
    for (const term of record.inclusionTerms ?? []) {
      if (!/classifiable to/i.test(term)) continue;
      for (const range of codeReferences(term.replace(/.*classifiable to/i, ''))) targets.push({ record, range, kind });
    }
  }
  targetsByCodeSet.set(codeSet, targets);
  return targets;
}

/** Narrower ranges are more specific: a single code beats a range, a longer code beats a category. */
function specificity(target: HistoryTarget): number {
  return target.range.first.length * 2 + (target.range.first === target.range.last ? 10 : 0) + target.record.code.length / 10;
}

/** Word keys compared on their first five letters, so "calculus" meets "calculi" and "embolism" "embolic". */
function wordKeys(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .map((t) => t.stem)
      .filter(isContentStem)
      .map((stem) => stem.slice(0, 5)),
  );
}

export interface HistoryCode {
  record: CodeRecord;
  /**
   * True when the classification names this condition's history specifically (a history code whose range is one
   * category, like Z85.3 for C50, or whose title names the condition, like Z86.711 for pulmonary embolism);
   * false for a chapter-wide history code (Z86.7 for any circulatory disease, Z87.2 for any skin disease).
   */
  specific: boolean;
}

/**
 * The history code for a condition, or undefined when the classification has none for it. When the matching
 * history code is a header, its billable child whose own title words are mostly the condition's is chosen
 * (e.g. pulmonary embolism → Z86.711); if none fits, the header itself is returned.
 */
export function historyCodeFor(codeSet: CodeSet, code: string, kind: HistoryKind): HistoryCode | undefined {
  const record = codeSet.record(code);
  if (!record || historyKindOf(record.code)) return undefined;
  const matching = targetsFor(codeSet).filter((t) => t.kind === kind && inRange(record.code, t.range));
  if (matching.length === 0) return undefined;
  const target = matching.reduce((best, t) => (specificity(t) > specificity(best) ? t : best));
  const oneCategory = target.range.first.slice(0, 3) === target.range.last.slice(0, 3);
  if (target.record.billable) return { record: target.record, specific: oneCategory };
  const conditionWords = wordKeys([record.title, ...codeSet.ancestors(code).map((a) => a.title)].join(' '));
  const historyWords = wordKeys(target.record.title);
  // Share of the child's own words (those not in the header's title) that the condition has.
  const overlap = (choice: CodeRecord) => {
    const own = [...wordKeys(choice.title)].filter((w) => !historyWords.has(w));
    return own.length === 0 ? 0 : own.filter((w) => conditionWords.has(w)).length / own.length;
  };
  const choices = codeSet.billableDescendants(target.record.code);
  const best = choices.reduce<CodeRecord | undefined>((a, b) => (!a || overlap(b) > overlap(a) ? b : a), undefined);
  return best && overlap(best) >= 0.5 ? { record: best, specific: true } : { record: target.record, specific: false };
}
