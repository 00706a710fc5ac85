/**
 * Builds eval/entities/cases.jsonl from the annotated source eval/entities/cases.src.txt, so that no offset is
 * ever counted by hand. Run: `npx tsx eval/entities/build-cases.ts` (add `--check` to fail instead of writing
 * when the JSON lines are out of date).
 *
 * Source format: a line `## e001` starts a case; the lines after it (up to the next `## ` line, trailing blank
 * lines dropped) are its text, joined with "\n". Lines starting with `#` before the first case are comments.
 * An entity is marked inline as `[[type|span]]`, `[[problem:assertion|span]]`, with optional attributes after
 * semicolons: `[[medication;strength=500 mg;frequency=BID;status=active|metformin]]`. The markup is removed and
 * the span's UTF-16 offsets (JavaScript string indices, end exclusive) are recorded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const entityTypes = ['problem', 'medication', 'lab', 'vital', 'allergy'] as const;
export type EntityType = (typeof entityTypes)[number];
export const assertions = ['present', 'absent', 'possible', 'historical', 'family', 'hypothetical'] as const;
export type Assertion = (typeof assertions)[number];

/** Optional attribute keys per type (the richer annotations the issue invites). */
export const attributeKeys: Record<EntityType, readonly string[]> = {
  problem: [],
  medication: ['strength', 'route', 'frequency', 'status'],
  lab: ['value', 'unit'],
  vital: ['value', 'unit'],
  allergy: ['reaction'],
};
/** FHIR MedicationStatement.status values (the project's FHIR export uses the same vocabulary). */
export const medicationStatuses = ['active', 'stopped', 'on-hold', 'intended', 'completed'] as const;

export interface EntitySpan {
  start: number;
  end: number;
  type: EntityType;
  assertion?: Assertion;
  text: string;
  strength?: string;
  route?: string;
  frequency?: string;
  status?: (typeof medicationStatuses)[number];
  value?: string;
  unit?: string;
  reaction?: string;
}

interface Label {
  type: EntityType;
  assertion?: Assertion;
  attributes: Record<string, string>;
}

export interface EntityCase {
  id: string;
  text: string;
  entities: EntitySpan[];
}

export class SourceError extends Error {}

const markup = /\[\[([^|\]]+)\|([^\]]*)\]\]/g;

function parseLabel(label: string, where: string): Label {
  const [head, ...pairs] = label.split(';');
  const [type, assertion, ...extra] = head!.trim().split(':');
  if (!entityTypes.includes(type as EntityType)) throw new SourceError(`${where}: unknown entity type "${type}"`);
  if (extra.length) throw new SourceError(`${where}: malformed label "${label}"`);
  const entity: Label = { type: type as EntityType, attributes: {} };
  if (type === 'problem') {
    if (!assertions.includes(assertion as Assertion)) throw new SourceError(`${where}: problem needs an assertion, got "${assertion}"`);
    entity.assertion = assertion as Assertion;
  } else if (assertion !== undefined) {
    throw new SourceError(`${where}: only problems carry an assertion`);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (eq < 1 || !value) throw new SourceError(`${where}: malformed attribute "${pair}"`);
    if (!attributeKeys[entity.type].includes(key)) throw new SourceError(`${where}: "${key}" is not an attribute of ${type}`);
    if (key === 'status' && !medicationStatuses.includes(value as (typeof medicationStatuses)[number])) {
      throw new SourceError(`${where}: unknown medication status "${value}"`);
    }
    if (key in entity.attributes) throw new SourceError(`${where}: attribute "${key}" given twice`);
    entity.attributes[key] = value;
  }
  return entity;
}

/** Strips the markup of one annotated text and returns the plain text with its entity spans. */
export function stripMarkup(annotated: string, where: string): { text: string; entities: EntitySpan[] } {
  let text = '';
  let last = 0;
  const entities: EntitySpan[] = [];
  for (const match of annotated.matchAll(markup)) {
    text += annotated.slice(last, match.index);
    const span = match[2]!;
    if (!span || span !== span.trim()) throw new SourceError(`${where}: span "${span}" is empty or not trimmed`);
    const start = text.length;
    text += span;
    const { type, assertion, attributes } = parseLabel(match[1]!, `${where} "${span}"`);
    entities.push({ start, end: text.length, type, ...(assertion ? { assertion } : {}), text: span, ...attributes });
    last = match.index + match[0].length;
  }
  text += annotated.slice(last);
  if (text.includes('[[') || text.includes(']]')) throw new SourceError(`${where}: unbalanced markup left in text`);
  return { text, entities };
}

export function buildCases(source: string): EntityCase[] {
  const cases: EntityCase[] = [];
  let current: { id: string; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    while (current.lines.length && !current.lines.at(-1)!.trim()) current.lines.pop();
    const { text, entities } = stripMarkup(current.lines.join('\n'), current.id);
    if (!text.trim()) throw new SourceError(`${current.id}: empty text`);
    cases.push({ id: current.id, text, entities });
  };
  for (const line of source.split('\n')) {
    const header = /^## (\S+)\s*$/.exec(line);
    if (header) {
      finish();
      if (cases.some((c) => c.id === header[1])) throw new SourceError(`${header[1]}: duplicate id`);
      current = { id: header[1]!, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() && !line.startsWith('#')) {
      throw new SourceError(`text before the first "## id" line: "${line}"`);
    }
  }
  finish();
  return cases;
}

export function toJsonLines(cases: EntityCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
}

export const sourceFile = fileURLToPath(new URL('./cases.src.txt', import.meta.url));
export const casesFile = fileURLToPath(new URL('./cases.jsonl', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = toJsonLines(buildCases(readFileSync(sourceFile, 'utf8')));
  if (process.argv.includes('--check')) {
    if (readFileSync(casesFile, 'utf8') !== built) {
      console.error('eval/entities/cases.jsonl is out of date: run npx tsx eval/entities/build-cases.ts');
      process.exit(1);
    }
  } else {
    writeFileSync(casesFile, built);
    console.log(`wrote ${casesFile}`);
  }
}
