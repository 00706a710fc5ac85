/**
 * Clinical concepts as comparable keys (`icd10:I82.409`, `rxnorm:6809`, `loinc:4548-4`). Note structuring
 * maps "DVT", "deep vein thrombosis" and "deep venous thrombosis" onto the same ICD-10-CM codes, so a query
 * and a passage share a concept when their mentions share a key: that is how synonym and abbreviation
 * matches are highlighted and how a passage that denies the query concept is recognised.
 */
import type { StructuredNote } from '../notes/structuring/schema.ts';
import type { ConceptMention } from './types.ts';

export type CodeSystem = 'icd10' | 'snomed' | 'rxnorm' | 'loinc' | 'cvx';

export const conceptKey = (system: CodeSystem, code: string) => `${system}:${code}`;

const fhirSystems: Record<string, CodeSystem> = {
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10',
  'http://snomed.info/sct': 'snomed',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://loinc.org': 'loinc',
  'http://hl7.org/fhir/sid/cvx': 'cvx',
};

/** The concept key of a FHIR coding, or null for a code system Clinote does not compare. */
export function fhirConceptKey(system: string | undefined, code: string | undefined): string | null {
  const known = system ? fhirSystems[system] : undefined;
  return known && code ? conceptKey(known, code) : null;
}

/** Every coded problem, medication, allergy, vital and lab mention of a structured text, in text order. */
export function conceptMentions(structure: Pick<StructuredNote, 'problems' | 'medications' | 'allergies' | 'vitals' | 'labs'>): ConceptMention[] {
  const mentions: ConceptMention[] = [];
  for (const p of structure.problems) {
    mentions.push({ start: p.start, end: p.end, display: p.term, keys: p.candidateCodes.map((c) => conceptKey('icd10', c)), negated: p.context.negated });
  }
  for (const m of structure.medications) {
    mentions.push({ start: m.start, end: m.end, display: m.ingredient, keys: m.rxcuis.map((c) => conceptKey('rxnorm', c)), negated: m.context.negated });
  }
  for (const a of structure.allergies) {
    const s = a.substance;
    if (!s) continue;
    const keys = [s.rxcui ? conceptKey('rxnorm', s.rxcui) : null, s.code ? fhirConceptKey(s.system ?? undefined, s.code) : null].filter((k): k is string => !!k);
    mentions.push({ start: s.start, end: s.end, display: s.display, keys, negated: false });
  }
  for (const v of structure.vitals) {
    mentions.push({ start: v.start, end: v.end, display: v.display, keys: [conceptKey('loinc', v.loinc)], negated: false });
  }
  for (const l of structure.labs) {
    mentions.push({ start: l.name.start, end: l.name.end, display: l.display, keys: [conceptKey('loinc', l.loinc)], negated: l.context.negated });
  }
  return mentions.filter((m) => m.keys.length > 0).sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Mentions lying inside [start, end) of the text, re-based to that stretch. */
export function mentionsWithin(mentions: readonly ConceptMention[], start: number, end: number): ConceptMention[] {
  return mentions
    .filter((m) => m.start >= start && m.end <= end)
    .map((m) => ({ ...m, start: m.start - start, end: m.end - start }));
}

/** The mentions that name one of the query's concepts. */
export function mentionsOf(queryKeys: ReadonlySet<string>, mentions: readonly ConceptMention[]): ConceptMention[] {
  return mentions.filter((m) => m.keys.some((k) => queryKeys.has(k)));
}

/** True when the passage speaks of the query concept only to deny it ("no history of DVT"). */
export function deniesConcept(matching: readonly ConceptMention[]): boolean {
  return matching.length > 0 && matching.every((m) => m.negated);
}
