/**
 * Entity-span evaluation of note structuring on clinical cases written for this project (issue 16).
 *
 * File format: JSON lines, one note per line:
 *   {"id":"e001","text":"…","entities":[{"start":120,"end":130,"type":"problem","assertion":"absent"}, …]}
 * `type` is problem | medication | lab | vital | allergy; `assertion` (problems only) is present | absent |
 * possible | historical | family | hypothetical. Offsets are UTF-16 code units into `text`, end exclusive, and
 * cover the name only (the condition phrase, the drug name without dose, the analyte or measure, the allergen).
 * Optional richer fields are scored when present: medications `strength`, `route`, `frequency`, `status`;
 * labs and vitals `value`, `unit`; allergies `reaction`.
 *
 * Predicted spans come from the structured note: a problem's matched phrase, a medication's name, a lab's or
 * vital's name, an allergy's substance. Exact match needs the same type, start and end; overlap match pairs
 * each gold span with at most one overlapping predicted span of its type.
 */
import { medicationStatementStatus } from '../src/notes/structuring/fhir.ts';
import { assertionOf } from '../src/notes/structuring/context.ts';
import type { Medication, StructuredNote } from '../src/notes/structuring/schema.ts';

export const entityTypes = ['problem', 'medication', 'lab', 'vital', 'allergy'] as const;
export type EntityType = (typeof entityTypes)[number];
export const assertions = ['present', 'absent', 'possible', 'historical', 'family', 'hypothetical'] as const;
export type Assertion = (typeof assertions)[number];

/** Attributes scored when the gold annotation carries them. */
const attributeFields = ['strength', 'route', 'frequency', 'status', 'value', 'unit', 'reaction'] as const;
type AttributeField = (typeof attributeFields)[number];

export interface GoldEntity {
  start: number;
  end: number;
  type: EntityType;
  assertion?: Assertion;
  attributes: Partial<Record<AttributeField, string | number>>;
}

export interface EntityCase {
  id: string;
  text: string;
  entities: GoldEntity[];
}

export interface PredictedEntity {
  start: number;
  end: number;
  type: EntityType;
  assertion?: Assertion;
  /** Every written and normalised form of an attribute, any of which matches the gold value. */
  attributes: Partial<Record<AttributeField, Array<string | number>>>;
  hasRxnorm?: boolean;
}

export class EntityCasesFormatError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'EntityCasesFormatError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a cases file; any malformed line throws an EntityCasesFormatError naming it. */
export function parseEntityCases(content: string, file = '<input>'): EntityCase[] {
  const cases: EntityCase[] = [];
  const ids = new Set<string>();
  content.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const fail = (reason: string): never => {
      throw new EntityCasesFormatError(file, line, reason);
    };
    if (raw.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (error) {
      fail(`not valid JSON (${(error as Error).message})`);
    }
    if (!isObject(row)) return fail('expected a JSON object {"id","text","entities"}');
    const { id, text, entities } = row;
    if (typeof id !== 'string' || id === '') fail('"id" must be a non-empty string');
    if (ids.has(id as string)) fail(`duplicate id ${JSON.stringify(id)}`);
    if (typeof text !== 'string') fail('"text" must be a string');
    if (!Array.isArray(entities)) fail('"entities" must be an array');
    const gold = (entities as unknown[]).map((e, k): GoldEntity => {
      const where = `entity ${k + 1}`;
      if (!isObject(e)) return fail(`${where} is not an object`);
      const { start, end, type, assertion } = e;
      if (!Number.isInteger(start) || !Number.isInteger(end)) fail(`${where}: "start" and "end" must be integers`);
      if ((start as number) < 0 || (start as number) >= (end as number) || (end as number) > (text as string).length) {
        fail(`${where}: span ${String(start)}-${String(end)} is empty or outside the text (length ${(text as string).length})`);
      }
      if (!entityTypes.includes(type as EntityType)) fail(`${where}: "type" must be one of ${entityTypes.join(', ')}`);
      if (type === 'problem') {
        if (!assertions.includes(assertion as Assertion)) fail(`${where}: a problem needs "assertion", one of ${assertions.join(', ')}`);
      } else if (assertion !== undefined) fail(`${where}: "assertion" is for problems only`);
      const attributes: GoldEntity['attributes'] = {};
      for (const field of attributeFields) {
        const value = e[field];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'string' && typeof value !== 'number') fail(`${where}: "${field}" must be a string or a number`);
        attributes[field] = value as string | number;
      }
      return { start: start as number, end: end as number, type: type as EntityType, ...(type === 'problem' ? { assertion: assertion as Assertion } : {}), attributes };
    });
    ids.add(id as string);
    cases.push({ id: id as string, text: text as string, entities: gold });
  });
  return cases;
}

const quantityForms = (q: { value: number; unit: string; text: string } | null): string[] => (q ? [q.text, `${q.value} ${q.unit}`] : []);

function medicationAttributes(m: Medication): PredictedEntity['attributes'] {
  return {
    strength: quantityForms(m.strength),
    route: m.route ? [m.route.text, m.route.code, m.route.display] : [],
    frequency: m.frequency ? [m.frequency.text, ...(m.frequency.code ? [m.frequency.code] : [])] : [],
    // The structured status or its FHIR MedicationStatement.status (started → active, held → on-hold, considered → intended).
    status: [m.status, medicationStatementStatus(m)],
  };
}

/** The entity spans a structured note asserts, in the cases' terms. */
export function predictedEntities(note: StructuredNote): PredictedEntity[] {
  const out: PredictedEntity[] = [];
  for (const p of note.problems) out.push({ start: p.start, end: p.end, type: 'problem', assertion: assertionOf(p.context), attributes: {} });
  for (const m of note.medications) {
    out.push({ start: m.start, end: m.start + m.name.length, type: 'medication', attributes: medicationAttributes(m), hasRxnorm: m.rxnorm !== null });
  }
  for (const l of note.labs) {
    out.push({
      start: l.name.start, end: l.name.end, type: 'lab',
      attributes: { value: l.value !== null ? [l.value] : l.valueText ? [l.valueText] : [], unit: l.unit ? [l.unit, l.unitDisplay ?? l.unit] : [] },
    });
  }
  // A test named without a result ("cortisol sent") is a lab mention too.
  for (const o of note.labOrders) out.push({ start: o.name.start, end: o.name.end, type: 'lab', attributes: { value: [], unit: [] } });
  for (const v of note.vitals) {
    if (!v.name) continue;
    out.push({
      start: v.name.start, end: v.name.end, type: 'vital',
      attributes: {
        value: [v.value, v.original.value, ...(v.components.length === 2 ? [`${v.components[0]!.value}/${v.components[1]!.value}`] : [])],
        unit: [v.unit, ...(v.original.unit ? [v.original.unit] : []), v.unitDisplay],
      },
    });
  }
  for (const a of note.allergies) {
    // The reaction in the note's words ("hives"), as the chart shows it.
    if (a.substance) out.push({ start: a.substance.start, end: a.substance.end, type: 'allergy', attributes: { reaction: a.reactions.map((r) => r.text) } });
  }
  return out;
}

/** Spellings of one unit: "bpm" and UCUM "/min", "mmHg" and "mm[Hg]", "°F" and "[degF]". */
const unitSpellings: Record<string, string> = {
  bpm: '/min', 'beats/min': '/min', 'breaths/min': '/min', 'mm[hg]': 'mmhg', '[degf]': '°f', f: '°f', cel: '°c', c: '°c',
  '[lb_av]': 'lb', lbs: 'lb', '[in_i]': 'in', 'meq/l': 'mmol/l',
};

/** Case- and spacing-insensitive comparison of an attribute; numbers compare as numbers. */
function attributeMatches(gold: string | number, predicted: ReadonlyArray<string | number>): boolean {
  const norm = (v: string | number) => {
    const s = String(v).toLowerCase().replace(/\s/g, '').replace(/\.$/, '');
    return unitSpellings[s] ?? s;
  };
  return predicted.some((p) => (typeof gold === 'number' || typeof p === 'number' ? Number(gold) === Number(p) : norm(gold) === norm(p)));
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface PrfScores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

function prf(c: Counts): PrfScores {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  return { ...c, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

export interface EntityMiss {
  id: string;
  kind: 'missed' | 'spurious' | 'assertion' | 'attribute';
  type: EntityType;
  text: string;
  detail?: string;
}

export interface EntityEvaluation {
  n: number;
  exact: Record<EntityType, PrfScores>;
  overlap: Record<EntityType, PrfScores>;
  microExact: PrfScores;
  microOverlap: PrfScores;
  assertion: { n: number; correct: number; accuracy: number; byGold: Record<string, { n: number; correct: number }> };
  attributes: Record<string, { n: number; correct: number; accuracy: number }>;
  /** Gold medications matched exactly whose prediction carries an RxNorm code. */
  rxnorm: { matched: number; coded: number; share: number };
  misses: EntityMiss[];
}

/**
 * Pairs gold and predicted spans of one type: each gold span with at most one prediction, exact pairs first
 * (when `exact`), otherwise the first unused overlapping prediction.
 */
function pairSpans<G extends { start: number; end: number }, P extends { start: number; end: number }>(
  gold: ReadonlyArray<G>,
  predicted: ReadonlyArray<P>,
  exact: boolean,
): Array<[G, P]> {
  const used = new Set<number>();
  const pairs: Array<[G, P]> = [];
  for (const g of gold) {
    const j = predicted.findIndex((p, k) => !used.has(k) && (exact ? p.start === g.start && p.end === g.end : p.start < g.end && p.end > g.start));
    if (j < 0) continue;
    used.add(j);
    pairs.push([g, predicted[j]!]);
  }
  return pairs;
}

const emptyCounts = (): Record<EntityType, Counts> =>
  Object.fromEntries(entityTypes.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<EntityType, Counts>;

export function evaluateEntities(cases: ReadonlyArray<EntityCase>, notes: ReadonlyArray<StructuredNote>): EntityEvaluation {
  const exact = emptyCounts();
  const overlap = emptyCounts();
  const assertion = { n: 0, correct: 0, byGold: {} as Record<string, { n: number; correct: number }> };
  const attributes: Record<string, { n: number; correct: number }> = {};
  const rxnorm = { matched: 0, coded: 0 };
  const misses: EntityMiss[] = [];
  cases.forEach((c, i) => {
    const predicted = predictedEntities(notes[i]!);
    for (const type of entityTypes) {
      const gold = c.entities.filter((e) => e.type === type);
      const mine = predicted.filter((p) => p.type === type);
      const exactPairs = pairSpans(gold, mine, true);
      const overlapPairs = pairSpans(gold, mine, false);
      exact[type].tp += exactPairs.length;
      exact[type].fn += gold.length - exactPairs.length;
      exact[type].fp += mine.length - exactPairs.length;
      overlap[type].tp += overlapPairs.length;
      overlap[type].fn += gold.length - overlapPairs.length;
      overlap[type].fp += mine.length - overlapPairs.length;
      const matchedGold = new Set(exactPairs.map(([g]) => g));
      const matchedMine = new Set(exactPairs.map(([, p]) => p));
      for (const g of gold) if (!matchedGold.has(g)) misses.push({ id: c.id, kind: 'missed', type, text: c.text.slice(g.start, g.end) });
      for (const p of mine) if (!matchedMine.has(p)) misses.push({ id: c.id, kind: 'spurious', type, text: c.text.slice(p.start, p.end) });
      for (const [g, p] of exactPairs) {
        if (type === 'problem' && g.assertion) {
          const ok = g.assertion === p.assertion;
          assertion.n++;
          if (ok) assertion.correct++;
          const bucket = (assertion.byGold[g.assertion] ??= { n: 0, correct: 0 });
          bucket.n++;
          if (ok) bucket.correct++;
          else misses.push({ id: c.id, kind: 'assertion', type, text: c.text.slice(g.start, g.end), detail: `gold ${g.assertion}, predicted ${p.assertion}` });
        }
        if (type === 'medication') {
          rxnorm.matched++;
          if (p.hasRxnorm) rxnorm.coded++;
        }
        for (const [field, value] of Object.entries(g.attributes)) {
          const key = `${type}.${field}`;
          const bucket = (attributes[key] ??= { n: 0, correct: 0 });
          bucket.n++;
          const predictedForms = p.attributes[field as AttributeField] ?? [];
          if (attributeMatches(value, predictedForms)) bucket.correct++;
          else misses.push({ id: c.id, kind: 'attribute', type, text: c.text.slice(g.start, g.end), detail: `${field}: gold ${JSON.stringify(value)}, predicted ${JSON.stringify(predictedForms)}` });
        }
      }
    }
  });
  const sum = (counts: Record<EntityType, Counts>): Counts =>
    entityTypes.reduce((acc, t) => ({ tp: acc.tp + counts[t].tp, fp: acc.fp + counts[t].fp, fn: acc.fn + counts[t].fn }), { tp: 0, fp: 0, fn: 0 });
  const scores = (counts: Record<EntityType, Counts>) =>
    Object.fromEntries(entityTypes.map((t) => [t, prf(counts[t])])) as Record<EntityType, PrfScores>;
  return {
    n: cases.length,
    exact: scores(exact),
    overlap: scores(overlap),
    microExact: prf(sum(exact)),
    microOverlap: prf(sum(overlap)),
    assertion: { ...assertion, accuracy: assertion.n > 0 ? assertion.correct / assertion.n : 0 },
    attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { ...v, accuracy: v.n > 0 ? v.correct / v.n : 0 }])),
    rxnorm: { ...rxnorm, share: rxnorm.matched > 0 ? rxnorm.coded / rxnorm.matched : 0 },
    misses,
  };
}
