/**
 * Structured facts of a patient's history: problems, medications, allergies, vitals, labs, other observations,
 * procedures and immunizations, each linked to the note span it came from. Facts come from note structuring (`origin`
 * note) or from imported coded records (`origin` fhir, linked to the line of the rendered record note).
 */
import type { StructuredNote } from '../notes/structuring/schema.ts';
import { conceptKey, fhirConceptKey } from './concepts.ts';
import type { FactDraft } from './types.ts';

const noContext = { negated: false, uncertain: false, historical: false, hypothetical: false, family: false };

type Context = StructuredNote['problems'][number]['context'];
const contextFlags = (c: Context) => ({
  negated: c.negated,
  uncertain: c.uncertain,
  historical: c.historical,
  hypothetical: c.hypothetical,
  family: c.family,
});

/** The facts a structured note states, dated by the note. */
export function factsFromStructure(structure: StructuredNote, observedAt: Date): FactDraft[] {
  const base = { value: null, unit: null, valueText: null, observedAt, sourceRef: null };
  const facts: FactDraft[] = [];
  for (const p of structure.problems) {
    facts.push({
      ...base,
      ...contextFlags(p.context),
      kind: 'problem',
      codes: p.candidateCodes.map((c) => conceptKey('icd10', c)),
      display: p.term,
      status: null,
      start: p.start,
      end: p.end,
      detail: { category: p.category, text: p.text },
    });
  }
  for (const m of structure.medications) {
    facts.push({
      ...base,
      ...contextFlags(m.context),
      kind: 'medication',
      codes: m.rxcuis.map((c) => conceptKey('rxnorm', c)),
      display: m.ingredient,
      status: m.status,
      start: m.start,
      end: m.end,
      detail: {
        name: m.name,
        strength: m.strength ? `${m.strength.value} ${m.strength.unit}` : null,
        route: m.route?.display ?? null,
        frequency: m.frequency?.text ?? null,
        asNeeded: m.asNeeded,
      },
    });
  }
  for (const a of structure.allergies) {
    const s = a.substance;
    const keys = s ? [s.rxcui ? conceptKey('rxnorm', s.rxcui) : null, s.code ? fhirConceptKey(s.system ?? undefined, s.code) : null] : [];
    facts.push({
      ...base,
      ...noContext,
      kind: 'allergy',
      codes: keys.filter((k): k is string => !!k),
      display: a.noKnownAllergies ? `No known ${a.scope && a.scope !== 'all' ? `${a.scope} ` : ''}allergies` : (s?.display ?? a.text),
      status: a.noKnownAllergies ? 'none-known' : 'active',
      start: a.start,
      end: a.end,
      detail: { reactions: a.reactions.map((r) => r.display), severity: a.severity, category: s?.category ?? null },
    });
  }
  for (const v of structure.vitals) {
    facts.push({
      ...base,
      ...noContext,
      kind: 'vital',
      codes: [conceptKey('loinc', v.loinc)],
      display: v.display,
      status: null,
      value: v.value,
      unit: v.unit,
      start: v.start,
      end: v.end,
      detail: { vital: v.kind, components: v.components, shortName: v.shortName, unitDisplay: v.unitDisplay, referenceRange: v.referenceRange ?? null, interpretation: v.interpretation ?? null },
    });
  }
  for (const l of structure.labs) {
    facts.push({
      ...base,
      ...contextFlags(l.context),
      kind: 'lab',
      codes: [conceptKey('loinc', l.loinc)],
      display: l.display,
      status: null,
      value: l.value,
      unit: l.unit,
      valueText: l.valueText,
      start: l.start,
      end: l.end,
      detail: { flag: l.flag, name: l.name.text, shortName: l.shortName, unitDisplay: l.unitDisplay, referenceRange: l.referenceRange ?? null, interpretation: l.interpretation ?? null },
    });
  }
  return facts;
}
