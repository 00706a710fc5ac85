/**
 * The checks a coder makes on a list of codes, as flags on suggestions: a header code needs a more specific
 * billable child (with what tells the children apart), two codes that an Excludes1 note forbids together,
 * and the code-first / use-additional-code / code-also instructions of the Tabular List.
 */
import type { CodeSet, InstructionalNote } from './code-set.ts';
import type { CodeRecord } from './code-set-data.ts';
import { codeReferences, inRange } from './code-ranges.ts';
import { fold } from '../../text/fold.ts';
import { isContentStem, tokenize } from './text.ts';

export type SpecificityAxis = 'laterality' | 'episode' | 'type';

export interface SpecificChoice {
  code: string;
  title: string;
  /** The words of the child's title that its parent's title does not have, e.g. "left" or "initial encounter for closed fracture". */
  distinguishing: string;
  axes: SpecificityAxis[];
}

export type SuggestionFlag =
  | { kind: 'needsSpecificity'; message: string; choices: SpecificChoice[] }
  | { kind: 'excludes1Conflict'; message: string; otherCode: string; note: string; noteFrom: string }
  | { kind: 'codeFirst' | 'useAdditionalCode' | 'codeAlso'; message: string; note: string; noteFrom: string; satisfiedBy: string[] }
  | { kind: 'uncertainDiagnosis'; message: string }
  | { kind: 'personalHistory' | 'familyHistory'; message: string; conditionCode: string };

const lateralityWords = /\b(right|left|bilateral|unilateral|unspecified (side|ear|eye|lung|kidney|arm|leg|hand|foot|upper limb|lower limb))\b/i;
const episodeWords = /\b(initial encounter|subsequent encounter|sequela)\b/i;

/** The part of `child` that is not in `parent`, as text: common leading and trailing words removed. */
export function distinguishingText(parentTitle: string, childTitle: string): string {
  const bare = (word: string) => fold(word).replace(/[^a-z0-9]/g, '');
  const parentWords = parentTitle.split(/\s+/);
  const childWords = childTitle.split(/\s+/);
  let head = 0;
  while (head < parentWords.length && head < childWords.length && bare(parentWords[head]!) === bare(childWords[head]!)) head++;
  let tail = 0;
  while (
    tail < parentWords.length - head &&
    tail < childWords.length - head &&
    bare(parentWords[parentWords.length - 1 - tail]!) === bare(childWords[childWords.length - 1 - tail]!)
  ) {
    tail++;
  }
  const middle = childWords.slice(head, childWords.length - tail).join(' ');
  return middle.replace(/^[,;\s]+|[,;\s]+$/g, '') || childTitle;
}

function axesOf(distinguishing: string): SpecificityAxis[] {
  const axes: SpecificityAxis[] = [];
  if (lateralityWords.test(distinguishing)) axes.push('laterality');
  if (episodeWords.test(distinguishing)) axes.push('episode');
  const rest = distinguishing.replace(lateralityWords, ' ').replace(/\b(initial|subsequent) encounter.*|\bsequela\b/gi, ' ');
  if (rest.replace(/[^a-z]/gi, '').length > 0 || axes.length === 0) axes.push('type');
  return axes;
}

/**
 * The billable children most likely meant, best first: most distinguishing words found in the note near the
 * evidence, then most often coded in training, then release order (which lists the default first, e.g.
 * initial encounter before subsequent, right before left before unspecified side).
 */
export function specificChoices(
  codeSet: CodeSet,
  code: string,
  noteWords: ReadonlySet<string>,
  codePrior: (code: string) => number,
  limit = 5,
): SpecificChoice[] {
  const record = codeSet.record(code);
  if (!record || record.billable) return [];
  const parentWords = new Set(tokenize(record.title).map((t) => t.stem));
  const scored = codeSet.billableDescendants(record.code).map((child, order) => {
    const distinguishing = distinguishingText(record.title, child.title);
    const words = tokenize(distinguishing)
      .map((t) => t.stem)
      .filter((w) => isContentStem(w) && !parentWords.has(w));
    return { child, distinguishing, inNote: words.filter((w) => noteWords.has(w)).length, prior: codePrior(child.code), order };
  });
  scored.sort((a, b) => b.inNote - a.inNote || b.prior - a.prior || a.order - b.order);
  return scored.slice(0, limit).map(({ child, distinguishing }) => ({
    code: child.code,
    title: child.title,
    distinguishing,
    axes: axesOf(distinguishing),
  }));
}

export function needsSpecificityFlag(record: CodeRecord, choices: SpecificChoice[]): SuggestionFlag {
  const axes = [...new Set(choices.flatMap((c) => c.axes))];
  return {
    kind: 'needsSpecificity',
    message: `${record.code} is a header, not billable: choose a more specific code (${axes.join(', ') || 'type'}).`,
    choices,
  };
}

/** Excludes1 conflicts among a set of codes: each pair is reported on both codes. */
export function excludes1Flags(codeSet: CodeSet, codes: ReadonlyArray<string>): Map<string, SuggestionFlag[]> {
  const flags = new Map<string, SuggestionFlag[]>();
  const add = (code: string, flag: SuggestionFlag) => flags.set(code, [...(flags.get(code) ?? []), flag]);
  for (const code of codes) {
    for (const note of codeSet.notes(code, ['excludes1'])) {
      const ranges = codeReferences(note.text);
      for (const other of codes) {
        if (other === code || other.startsWith(code) || code.startsWith(other)) continue;
        if (!ranges.some((r) => inRange(other, r))) continue;
        const message = `Excludes1: ${code} and ${other} are not coded together ("${note.text}", under ${note.from}).`;
        add(code, { kind: 'excludes1Conflict', message, otherCode: other, note: note.text, noteFrom: note.from });
        add(other, { kind: 'excludes1Conflict', message, otherCode: code, note: note.text, noteFrom: note.from });
      }
    }
  }
  // A pair excluded from both sides would be reported twice per code.
  for (const [code, list] of flags) {
    const seen = new Set<string>();
    flags.set(
      code,
      list.filter((f) => {
        const id = f.kind === 'excludes1Conflict' ? `${f.otherCode}|${f.note}` : f.message;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      }),
    );
  }
  return flags;
}

const instructionLabels = { codeFirst: 'Code first', useAdditionalCode: 'Use additional code', codeAlso: 'Code also' } as const;
type InstructionKind = keyof typeof instructionLabels;

/** Joins a note ending in ":" with the list items that follow it ("code to identify control using: insulin (Z79.4); …"). */
function joinedInstructions(notes: ReadonlyArray<InstructionalNote>): InstructionalNote[] {
  const joined: InstructionalNote[] = [];
  for (const note of notes) {
    const previous = joined[joined.length - 1];
    if (previous && previous.kind === note.kind && previous.from === note.from && /[:;]$/.test(previous.text)) {
      previous.text = `${previous.text.replace(/;$/, '')}${previous.text.endsWith(':') ? ' ' : '; '}${note.text};`;
    } else {
      joined.push({ ...note });
    }
  }
  return joined.map((n) => ({ ...n, text: n.text.replace(/;$/, '') }));
}

/**
 * Code-first / use-additional-code / code-also reminders for a code, each naming the listed codes that already
 * satisfy it. Notes from the chapter level are general (e.g. external-cause codes for all injuries) and
 * are included like the others: the coder sees every instruction that applies.
 */
export function instructionFlags(codeSet: CodeSet, code: string, listedCodes: ReadonlyArray<string>): SuggestionFlag[] {
  const flags: SuggestionFlag[] = [];
  for (const note of joinedInstructions(codeSet.notes(code, ['codeFirst', 'useAdditionalCode', 'codeAlso']))) {
    const kind = note.kind as InstructionKind;
    const ranges = codeReferences(note.text);
    const satisfiedBy = listedCodes.filter((other) => other !== code && ranges.some((r) => inRange(other, r)));
    const status = satisfiedBy.length > 0 ? ` (listed: ${satisfiedBy.join(', ')})` : '';
    flags.push({ kind, message: `${instructionLabels[kind]}: ${note.text}${status}`, note: note.text, noteFrom: note.from, satisfiedBy });
  }
  return flags;
}
