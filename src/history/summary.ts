/**
 * The consultation summary of a patient, assembled from stored facts: problems (first and last mentioned;
 * denied, uncertain, hypothetical and family-history mentions excluded; those only ever mentioned as past
 * history marked so), current medications,
 * allergies, each vital sign's readings over time (with the latest), lab series per test, and the most recent
 * notes. Every item links to the note spans (and imported records) it rests on.
 */
import type { Fact } from './types.ts';

export interface SourceLink {
  noteId: string;
  /** The fact's span in the note text. */
  start: number;
  end: number;
  observedAt: Date;
  /** The imported record (`Condition/…`) behind the fact, if imported. */
  sourceRef: string | null;
}

export interface SummaryProblem {
  /** The most specific name among the merged mentions (the latest such). */
  display: string;
  /** The other names the mentions used ("HTN", "hypertension"), first use first. */
  aliases: string[];
  /** The display mention's codes first, then the other mentions' codes. */
  codes: string[];
  firstMentioned: Date;
  lastMentioned: Date;
  mentions: number;
  /** The latest stated clinical status (active, recurrence …), null when only notes mention it. */
  status: string | null;
  /**
   * Every mention is past history ("history of appendicitis") and no coded record calls it active: shown apart
   * as past history, since a resolved condition and a chronic one listed under "PMH" read alike in text.
   */
  pastOnly: boolean;
  /** Newest first, at most five. */
  sources: SourceLink[];
}

export interface SummaryMedication {
  display: string;
  codes: string[];
  status: string | null;
  lastMentioned: Date;
  detail: Record<string, unknown>;
  source: SourceLink;
}

export interface SummaryAllergy {
  display: string;
  codes: string[];
  reactions: string[];
  recordedAt: Date;
  source: SourceLink;
}

/** One reading of a vital sign or lab test. */
export interface Measurement {
  observedAt: Date;
  value: number | null;
  valueText: string | null;
  unit: string | null;
  /** Against the adult reference range: normal, low, high, critical-low, critical-high; null when not judged. */
  interpretation: string | null;
  source: SourceLink;
}

/** How a vital sign or lab test reads for people, from its latest structured reading (null for older facts). */
export interface SeriesLabels {
  /** "Creatinine", "SpO2" rather than the LOINC long name. */
  shortName: string | null;
  /** "mL/min/1.73 m²" rather than the UCUM code. */
  unitDisplay: string | null;
  referenceRange: { low?: number; high?: number; unit: string; text: string } | null;
}

export interface VitalPoint extends Measurement {
  /** The parts of a panel reading (systolic and diastolic blood pressure); empty or null otherwise. */
  components: unknown[] | null;
}

/** A vital sign: its latest reading, and all its readings for a trend. */
export interface SummaryVital extends VitalPoint, SeriesLabels {
  display: string;
  codes: string[];
  /** Oldest first; the last one is the latest reading above. */
  points: VitalPoint[];
}

export interface LabPoint extends Measurement {
  flag: string | null;
}

export interface LabSeries extends SeriesLabels {
  display: string;
  codes: string[];
  /** Oldest first. */
  points: LabPoint[];
  latest: LabPoint;
  /** Latest minus the previous numeric value, when both are numbers in the same unit. */
  change: number | null;
}

export interface RecentNote {
  id: string;
  kind: string;
  author: string;
  authoredAt: Date;
}

export interface PatientSummary {
  problems: SummaryProblem[];
  medications: SummaryMedication[];
  allergies: SummaryAllergy[];
  /** An explicit "no known allergies" statement, when there are no allergies. */
  noKnownAllergies: SourceLink | null;
  vitals: SummaryVital[];
  labs: LabSeries[];
  recentNotes: RecentNote[];
}

/** Statuses after which a problem is no longer active. */
const closedProblem = new Set(['resolved', 'inactive', 'remission', 'refuted']);
/** Medication statuses (FHIR MedicationRequest/Statement and note structuring) that mean "taking it now". */
const currentMedication = new Set(['active', 'started', 'continued', 'changed', 'held', 'on-hold', 'intended', 'unknown']);

const link = (f: Fact): SourceLink => ({ noteId: f.noteId, start: f.start, end: f.end, observedAt: f.observedAt, sourceRef: f.sourceRef });
const measurement = (f: Fact): Measurement => ({
  observedAt: f.observedAt,
  value: f.value,
  valueText: f.valueText,
  unit: f.unit,
  interpretation: (f.detail.interpretation as string | null | undefined) ?? null,
  source: link(f),
});
const seriesLabels = (latest: Fact): SeriesLabels => ({
  shortName: (latest.detail.shortName as string | undefined) ?? null,
  unitDisplay: (latest.detail.unitDisplay as string | null | undefined) ?? null,
  referenceRange: (latest.detail.referenceRange as SeriesLabels['referenceRange'] | undefined) ?? null,
});

/** One concept per group: its most specific code, or its name when it has no code. */
const conceptOf = (f: Fact) => f.codes[0] ?? `name:${f.display.toLowerCase()}`;

function groupByConcept(facts: readonly Fact[]): Fact[][] {
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const key = `${f.kind}|${conceptOf(f)}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  // Facts arrive oldest first, so each group is in time order.
  return [...groups.values()];
}

const assertedForPatient = (f: Fact) => !f.negated && !f.uncertain && !f.hypothetical && !f.family;
const newestFirst = (a: { lastMentioned: Date }, b: { lastMentioned: Date }) => b.lastMentioned.getTime() - a.lastMentioned.getTime();

/**
 * Groups problem mentions by the structurer's normalised concept, so "HTN", "hypertension" and "essential
 * hypertension" (all I10), or "T2DM" (E11) and "type 2 diabetes mellitus" (E11.9, then E11), are one problem.
 * Two mentions are one concept when the most specific code of either is among the other's codes; the primary
 * code alone would split a category code from its default subcode, and any shared code would join distinct
 * diseases through a shared category. Mentions without codes join by their name. Facts arrive oldest first, and
 * each group keeps that order.
 */
export function groupProblemMentions(facts: readonly Fact[]): Fact[][] {
  const parent = facts.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const join = (a: number, b: number) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byCode = new Map<string, number[]>();
  const byName = new Map<string, number>();
  facts.forEach((f, i) => {
    for (const code of f.codes) {
      const holders = byCode.get(code);
      if (holders) holders.push(i);
      else byCode.set(code, [i]);
    }
    if (f.codes.length === 0) {
      const name = nameKey(f.display);
      const first = byName.get(name);
      if (first === undefined) byName.set(name, i);
      else join(first, i);
    }
  });
  facts.forEach((f, i) => {
    const primary = f.codes[0];
    if (primary) for (const j of byCode.get(primary)!) join(i, j);
  });
  const groups = new Map<number, Fact[]>();
  facts.forEach((f, i) => {
    const group = groups.get(root(i));
    if (group) group.push(f);
    else groups.set(root(i), [f]);
  });
  return [...groups.values()];
}

const nameKey = (display: string) => display.toLowerCase().replace(/\s+/g, ' ').trim();

const systemOf = (code: string | undefined) => code?.slice(0, code.indexOf(':'));

/**
 * The latest mention that no other mention of the group refines, else the latest. A mention refines another when
 * its own most specific code, in the same code system, lists the other's as a broader fallback (E11.9 then E11).
 */
function mostSpecific(group: readonly Fact[]): Fact {
  const refines = (g: Fact, f: Fact) => g.codes[0] !== f.codes[0] && systemOf(g.codes[0]) === systemOf(f.codes[0]) && g.codes.slice(1).includes(f.codes[0]!);
  const refined = (f: Fact) => f.codes.length > 0 && group.some((g) => refines(g, f));
  return [...group].reverse().find((f) => !refined(f)) ?? group[group.length - 1]!;
}

function problems(facts: readonly Fact[]): SummaryProblem[] {
  const out: SummaryProblem[] = [];
  for (const group of groupProblemMentions(facts.filter((f) => f.kind === 'problem' && assertedForPatient(f)))) {
    const latest = group[group.length - 1]!;
    if (latest.status && closedProblem.has(latest.status)) continue;
    const stated = [...group].reverse().find((f) => f.status);
    const shown = mostSpecific(group);
    const names = new Map<string, string>([[nameKey(shown.display), shown.display]]);
    for (const f of group) if (!names.has(nameKey(f.display))) names.set(nameKey(f.display), f.display);
    out.push({
      display: shown.display,
      aliases: [...names.values()].slice(1),
      codes: [...new Set([...shown.codes, ...group.flatMap((f) => f.codes)])],
      firstMentioned: group[0]!.observedAt,
      lastMentioned: latest.observedAt,
      mentions: group.length,
      status: stated?.status ?? null,
      pastOnly: group.every((f) => f.historical) && !stated,
      sources: [...group].reverse().slice(0, 5).map(link),
    });
  }
  return out.sort(newestFirst);
}

function medications(facts: readonly Fact[]): SummaryMedication[] {
  const out: SummaryMedication[] = [];
  for (const group of groupByConcept(facts.filter((f) => f.kind === 'medication' && assertedForPatient(f) && !f.historical))) {
    const latest = group[group.length - 1]!;
    if (latest.status && !currentMedication.has(latest.status)) continue;
    out.push({ display: latest.display, codes: latest.codes, status: latest.status, lastMentioned: latest.observedAt, detail: latest.detail, source: link(latest) });
  }
  return out.sort(newestFirst);
}

function allergies(facts: readonly Fact[]): Pick<PatientSummary, 'allergies' | 'noKnownAllergies'> {
  const stated = facts.filter((f) => f.kind === 'allergy' && !f.negated);
  const list: SummaryAllergy[] = [];
  for (const group of groupByConcept(stated.filter((f) => f.status !== 'none-known'))) {
    const latest = group[group.length - 1]!;
    if (latest.status && ['inactive', 'resolved'].includes(latest.status)) continue;
    const reactions = (latest.detail.reactions as string[] | undefined) ?? [];
    list.push({ display: latest.display, codes: latest.codes, reactions, recordedAt: group[0]!.observedAt, source: link(latest) });
  }
  const noneKnown = stated.filter((f) => f.status === 'none-known').at(-1);
  return { allergies: list, noKnownAllergies: list.length === 0 && noneKnown ? link(noneKnown) : null };
}

function vitals(facts: readonly Fact[]): SummaryVital[] {
  return groupByConcept(facts.filter((f) => f.kind === 'vital' && !f.negated)).map((group) => {
    const points: VitalPoint[] = group.map((f) => ({ ...measurement(f), components: (f.detail.components as unknown[] | undefined) ?? null }));
    const latest = group[group.length - 1]!;
    return { display: latest.display, codes: latest.codes, ...seriesLabels(latest), ...points[points.length - 1]!, points };
  });
}

function labs(facts: readonly Fact[]): LabSeries[] {
  return groupByConcept(facts.filter((f) => f.kind === 'lab' && !f.negated && (f.value !== null || f.valueText !== null)))
    .map((group) => {
      const points: LabPoint[] = group.map((f) => ({ ...measurement(f), flag: (f.detail.flag as string | null | undefined) ?? null }));
      const latest = points[points.length - 1]!;
      const previous = points.slice(0, -1).reverse().find((p) => p.value !== null);
      const change = latest.value !== null && previous?.value != null && previous.unit === latest.unit ? latest.value - previous.value : null;
      return { display: group[0]!.display, codes: group[0]!.codes, ...seriesLabels(group[group.length - 1]!), points, latest, change };
    })
    .sort((a, b) => b.latest.observedAt.getTime() - a.latest.observedAt.getTime());
}

/** Assembles the summary from a patient's facts (oldest first) and their most recent notes. */
export function assembleSummary(facts: readonly Fact[], recentNotes: readonly RecentNote[]): PatientSummary {
  return {
    problems: problems(facts),
    medications: medications(facts),
    ...allergies(facts),
    vitals: vitals(facts),
    labs: labs(facts),
    recentNotes: [...recentNotes],
  };
}
