/**
 * Medication instructions ("sig") after a drug name: strength, dose, form, route, frequency, duration,
 * as-needed, indication and conditional instructions. Codes: routes from HL7 v3 RouteOfAdministration, timing
 * from HL7 v3 GTSAbbreviation / TimingEvent (both CC0), units in UCUM.
 */
import type { Medication, Quantity, Span } from './schema.ts';

export interface Sig {
  strength: Quantity | null;
  dose: Quantity | null;
  form: Span | null;
  route: Medication['route'];
  frequency: Medication['frequency'];
  asNeeded: boolean;
  duration: Quantity | null;
  indication: Span | null;
  conditions: Span[];
}

const numberWords: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12,
  fourteen: 14, thirty: 30, half: 0.5, 'one-half': 0.5, 'one half': 0.5,
};

function toNumber(s: string): number {
  const lower = s.toLowerCase().trim();
  if (lower in numberWords) return numberWords[lower]!;
  if (/^\d+\/\d+$/.test(lower)) {
    const [a, b] = lower.split('/').map(Number);
    return a! / b!;
  }
  return Number(lower.replace(/,/g, ''));
}

const numberPattern = String.raw`(?:\d+(?:[.,]\d+)?|\d+\/\d+|one|two|three|four|five|six|seven|eight|nine|ten|half|one-half)`;

/** Strength units → UCUM. */
const strengthUnits: Record<string, string> = {
  mg: 'mg', milligram: 'mg', milligrams: 'mg', mcg: 'ug', 'µg': 'ug', ug: 'ug', microgram: 'ug', micrograms: 'ug',
  g: 'g', gm: 'g', gram: 'g', grams: 'g', ml: 'mL', cc: 'mL', l: 'L', unit: '[iU]', units: '[iU]', iu: '[iU]',
  meq: 'meq', '%': '%', 'mg/ml': 'mg/mL', 'mcg/hr': 'ug/h', 'mcg/h': 'ug/h', 'mg/kg': 'mg/kg', 'units/kg': '[iU]/kg',
};

const strengthPattern = new RegExp(
  String.raw`\b(${numberPattern}(?:\/\d+(?:\.\d+)?)*(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?)\s*(mg\/ml|mcg\/hr|mcg\/h|mg\/kg|units\/kg|milligrams?|micrograms?|grams?|mg|mcg|µg|ug|gm|g|ml|cc|l|units?|iu|meq|%)(?![a-z])`,
  'i',
);

/** Count units of a dose → UCUM annotations. */
const doseUnits: Record<string, string> = {
  tablet: '{tablet}', tab: '{tablet}', capsule: '{capsule}', cap: '{capsule}', puff: '{puff}', drop: '{drop}',
  spray: '{spray}', patch: '{patch}', pill: '{pill}', injection: '{injection}', teaspoon: '{teaspoon}', tsp: '{teaspoon}',
  tablespoon: '{tablespoon}', tbsp: '{tablespoon}', vial: '{vial}', suppository: '{suppository}', lozenge: '{lozenge}',
  packet: '{packet}', ampule: '{ampule}', application: '{application}',
};

const dosePattern = new RegExp(
  String.raw`\b(${numberPattern})\s*(tablets?|tabs?|capsules?|caps?|puffs?|drops?|sprays?|patch(?:es)?|pills?|injections?|teaspoons?|tsp|tablespoons?|tbsp|vials?|suppositor(?:y|ies)|lozenges?|packets?|ampules?|applications?)\b`,
  'i',
);

const formPattern = /\b(tablets?|capsules?|caplets?|inhalers?|nebuli[sz]ers?|auto-?injectors?|infusion|drip|patch(?:es)?|creams?|ointments?|gels?|lotions?|solution|suspension|syrup|elixir|injection|injectable|drops|spray|suppositor(?:y|ies)|lozenges?|powder|extended[- ]release|delayed[- ]release|ER|XR|XL|SR|CR|DR|ODT)\b/;

interface RouteDef {
  pattern: RegExp;
  code: string;
  display: string;
}

const routes: RouteDef[] = [
  { pattern: /\b(p\.?\s?o\.?|by mouth|orally|oral|per os)(?![a-z])/i, code: 'PO', display: 'Swallow, oral' },
  { pattern: /\b(iv|i\.v\.|intravenous(?:ly)?|iv push|ivpb)\b/i, code: 'IV', display: 'Infusion, intravenous' },
  { pattern: /\b(IM|im|i\.m\.)\b/, code: 'IM', display: 'Injection, intramuscular' },
  { pattern: /\b(intramuscular(?:ly)?)\b/i, code: 'IM', display: 'Injection, intramuscular' },
  { pattern: /\b(sc|sq|subq|sub-q|s\.c\.|subcutaneous(?:ly)?|subcut)\b/i, code: 'SQ', display: 'Injection, subcutaneous' },
  { pattern: /\b(sl|sublingual(?:ly)?|under the tongue)\b/i, code: 'SL', display: 'Dissolve, sublingual' },
  { pattern: /\b(topical(?:ly)?|applied to|apply to)\b/i, code: 'TOPICAL', display: 'Topical' },
  { pattern: /\b(inhaled|inhalation|via inhaler|nebuli[sz]ed|via nebuli[sz]er|inh)\b/i, code: 'IPINHL', display: 'Inhalation, respiratory' },
  { pattern: /\b(pr|per rectum|rectal(?:ly)?)\b/, code: 'PR', display: 'Insertion, rectal' },
  { pattern: /\b(rectal(?:ly)?|per rectum)\b/i, code: 'PR', display: 'Insertion, rectal' },
  { pattern: /\b(intranasal(?:ly)?|nasal(?:ly)?|per nostril|each nostril)\b/i, code: 'NASAL', display: 'Topical application, nasal' },
  { pattern: /\b(ophthalmic|in (?:the |each |both )?eyes?|OU)\b/, code: 'OPTHALTA', display: 'Topical application, ophthalmic' },
  { pattern: /\b(transdermal(?:ly)?)\b/i, code: 'TRNSDERM', display: 'Transdermal' },
  { pattern: /\b(via g-?tube|per g-?tube|via peg|per peg)\b/i, code: 'GT', display: 'Instillation, gastrostomy tube' },
  { pattern: /\b(via ng tube|per ng tube|via ngt|per ngt)\b/i, code: 'NGT', display: 'Instillation, nasogastric tube' },
];

interface FrequencyDef {
  pattern: RegExp;
  code: string | null;
  frequency: number | null;
  period: number | null;
  periodUnit: 'h' | 'd' | 'wk' | 'mo' | null;
  when?: string[];
}

const frequencies: FrequencyDef[] = [
  { pattern: /\b(b\.?i\.?d\.?|twice (?:a |per )?day|twice daily|two times (?:a |per )?day|2 times (?:a |per )?day|every 12 hours|q\s?12\s?h(?:ours?|rs?)?)(?![a-z])/i, code: 'BID', frequency: 2, period: 1, periodUnit: 'd' },
  { pattern: /\b(t\.?i\.?d\.?|three times (?:a |per )?day|three times daily|3 times (?:a |per )?day|every 8 hours|q\s?8\s?h(?:ours?|rs?)?)(?![a-z])/i, code: 'TID', frequency: 3, period: 1, periodUnit: 'd' },
  { pattern: /\b(q\.?i\.?d\.?|four times (?:a |per )?day|four times daily|4 times (?:a |per )?day)(?![a-z])/i, code: 'QID', frequency: 4, period: 1, periodUnit: 'd' },
  { pattern: /\b(q\.?o\.?d\.?|every other day|on alternate days)(?![a-z])/i, code: 'QOD', frequency: 1, period: 2, periodUnit: 'd' },
  { pattern: /\b(q\.?\s?h\.?\s?s\.?|at bedtime|nightly|every night|at night|before bed|h\.?s\.?)(?![a-z])/i, code: 'HS', frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  { pattern: /\b(q\.?\s?a\.?\s?m\.?|every morning|in the morning|each morning)(?![a-z])/i, code: 'AM', frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  { pattern: /\b(q\.?\s?p\.?\s?m\.?|every evening|in the evening)(?![a-z])/i, code: 'PM', frequency: 1, period: 1, periodUnit: 'd', when: ['EVE'] },
  { pattern: /\bq\.?\s?(\d{1,2})\s?(?:-|to)\s?(\d{1,2})\s?h(?:ours?|rs?|\.)?(?![a-z])/i, code: null, frequency: 1, period: null, periodUnit: 'h' },
  { pattern: /\bevery (\d{1,2})\s?(?:-|to)\s?(\d{1,2}) hours?\b/i, code: null, frequency: 1, period: null, periodUnit: 'h' },
  { pattern: /\bq\.?\s?(\d{1,2})\s?h(?:ours?|rs?|\.)?(?![a-z])/i, code: null, frequency: 1, period: null, periodUnit: 'h' },
  { pattern: /\bevery (\d{1,2}|one|two|three|four|six|eight|twelve) hours?\b/i, code: null, frequency: 1, period: null, periodUnit: 'h' },
  { pattern: /\b(q\.?\s?h\.?|every hour|hourly)(?![a-z])/i, code: 'Q1H', frequency: 1, period: 1, periodUnit: 'h' },
  { pattern: /\b(q\.?\s?d\.?|daily|once (?:a |per )?day|once daily|every day|a day|per day|each day|q\s?24\s?h(?:ours?)?)(?![a-z])/i, code: 'QD', frequency: 1, period: 1, periodUnit: 'd' },
  { pattern: /\b(weekly|once (?:a |per )?week|every week|q\.?\s?wk|q\.?\s?week)(?![a-z])/i, code: 'WK', frequency: 1, period: 1, periodUnit: 'wk' },
  { pattern: /\b(twice (?:a |per )?week)\b/i, code: null, frequency: 2, period: 1, periodUnit: 'wk' },
  { pattern: /\b(monthly|once (?:a |per )?month|every month)\b/i, code: 'MO', frequency: 1, period: 1, periodUnit: 'mo' },
  { pattern: /\b(a\.?c\.?|before meals)(?![a-z])/, code: 'AC', frequency: null, period: null, periodUnit: null, when: ['AC'] },
  { pattern: /\b(before meals|with meals)\b/i, code: 'AC', frequency: null, period: null, periodUnit: null, when: ['AC'] },
  { pattern: /\b(p\.?c\.?|after meals)(?![a-z])/, code: 'PC', frequency: null, period: null, periodUnit: null, when: ['PC'] },
  { pattern: /\b(once|one time|x\s?1|times one|stat)\b/i, code: null, frequency: 1, period: null, periodUnit: null },
];

const asNeededPattern = /\b(p\.?r\.?n\.?|as needed|as necessary|when needed|as required|if needed)(?![a-z])/i;

const durationPattern = new RegExp(String.raw`\b(?:for|x|×|times)\s*(${numberPattern}|\d+)\s*(more\s+)?(days?|weeks?|months?|d|wks?|mos?)\b`, 'i');

const durationUnits: Record<string, string> = { d: 'd', day: 'd', days: 'd', week: 'wk', weeks: 'wk', wk: 'wk', wks: 'wk', month: 'mo', months: 'mo', mo: 'mo', mos: 'mo' };

// "hold if HR < 60", "call if no improvement": conditional instructions, up to the next clause boundary.
const conditionPattern = /\b(?:hold|skip|stop|call|notify|return|titrate|increase|decrease|repeat|give)\s+(?:it\s+|dose\s+)?(?:if|for|when|unless)\b[^,;.\n]*(?:\.\d[^,;.\n]*)?/gi;

const routesBefore = routes.map((r) => ({ ...r, pattern: new RegExp(String.raw`(?:${r.pattern.source})\s+$`, r.pattern.flags) }));

/** A route written right before the drug name ("IV methylprednisolone", "nebulized salbutamol"). */
export function routeBefore(text: string, drugStart: number, from: number): Medication['route'] {
  const base = Math.max(from, drugStart - 30);
  const before = text.slice(base, drugStart);
  for (const r of routesBefore) {
    const m = r.pattern.exec(before);
    if (m) return { start: base + m.index, end: base + m.index + m[0].trimEnd().length, text: m[0].trimEnd(), code: r.code, display: r.display };
  }
  return null;
}

function span(window: string, base: number, index: number, length: number): Span {
  return { start: base + index, end: base + index + length, text: window.slice(index, index + length) };
}

/**
 * Parses the sig written in `window` (the text after a drug name, up to the next drug or line end); offsets
 * are shifted by `base` so they point into the note.
 */
export function parseSig(window: string, base: number): Sig {
  const conditions: Span[] = [];
  // Conditional instructions are masked first so "hold if HR < 60" never reads as a frequency or dose.
  let masked = window;
  for (const m of window.matchAll(conditionPattern)) {
    conditions.push(span(window, base, m.index, m[0].trimEnd().length));
    masked = masked.slice(0, m.index) + ' '.repeat(m[0].length) + masked.slice(m.index + m[0].length);
  }

  let strength: Quantity | null = null;
  const s = strengthPattern.exec(masked);
  // The strength is the first number after the name: "sodium 133, creatinine 1.4 mg" has none.
  const firstNumber = /\d/.exec(masked);
  if (s && firstNumber && firstNumber.index >= s.index && firstNumber.index < s.index + s[0].length) {
    const unit = strengthUnits[s[2]!.toLowerCase()] ?? s[2]!;
    const value = toNumber(s[1]!.split(/\s*(?:-|to)\s*/)[0]!.split('/')[0]!);
    if (Number.isFinite(value)) strength = { ...span(window, base, s.index, s[0].length), value, unit };
  }

  let dose: Quantity | null = null;
  const d = dosePattern.exec(masked);
  if (d) {
    const word = d[2]!.toLowerCase().replace(/(es|s)$/, '').replace(/ie$/, 'y');
    const unit = doseUnits[word] ?? doseUnits[d[2]!.toLowerCase().replace(/s$/, '')] ?? `{${word}}`;
    const value = toNumber(d[1]!);
    if (Number.isFinite(value)) dose = { ...span(window, base, d.index, d[0].length), value, unit };
  }

  const f = formPattern.exec(masked);
  const form = f ? span(window, base, f.index, f[0].length) : null;

  let route: Medication['route'] = null;
  for (const r of routes) {
    const m = r.pattern.exec(masked);
    if (m) {
      route = { ...span(window, base, m.index, m[0].length), code: r.code, display: r.display };
      break;
    }
  }

  let frequency: Medication['frequency'] = null;
  for (const def of frequencies) {
    const m = def.pattern.exec(masked);
    if (!m) continue;
    let period = def.period;
    if (def.periodUnit === 'h' && period === null) {
      // "q6h" / "every 4 to 6 hours": the shortest interval is the period.
      period = toNumber(m[1] ?? '1');
    }
    frequency = {
      ...span(window, base, m.index, m[0].length),
      code: def.code ?? (def.periodUnit === 'h' && period && [1, 2, 3, 4, 6, 8].includes(period) && !m[2] ? `Q${period}H` : null),
      frequency: def.frequency,
      period,
      periodUnit: def.periodUnit,
      when: def.when ?? [],
    };
    break;
  }

  const prn = asNeededPattern.exec(masked);
  const asNeeded = !!prn;

  let duration: Quantity | null = null;
  const du = durationPattern.exec(masked);
  if (du) {
    const value = toNumber(du[1]!);
    const unit = durationUnits[du[3]!.toLowerCase()] ?? du[3]!;
    if (Number.isFinite(value)) duration = { ...span(window, base, du.index, du[0].length), value, unit };
  }

  // "prn pain", "for hypertension", "as needed for sleep": the words after the cue up to a clause boundary.
  let indication: Span | null = null;
  const ind = /\b(?:p\.?r\.?n\.?|as needed for|as needed|for)\s+(?!\d|a total|the next|one |two |three |up to|at least)([a-z][a-z' -]{2,40}?)(?=\s*(?:[,;.)\n]|$|\band\b|\bwith\b|\bhold\b|\bevery\b|\bq\d))/i.exec(masked);
  if (ind && !durationPattern.test(ind[0])) {
    const offset = ind.index + ind[0].length - ind[1]!.length;
    indication = span(window, base, offset, ind[1]!.trimEnd().length);
  }

  return { strength, dose, form, route, frequency, asNeeded, duration, indication, conditions };
}

/**
 * Where the first part of a sig that marks the preceding word as a medication (strength, dose, route,
 * frequency) begins, or null when there is none.
 */
export function sigEvidenceStart(sig: Sig): number | null {
  const starts = [sig.strength, sig.dose, sig.route, sig.frequency].flatMap((s) => (s ? [s.start] : []));
  return starts.length > 0 ? Math.min(...starts) : null;
}
