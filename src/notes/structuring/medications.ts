/**
 * Medications: drug names (generic or brand) from the drug lexicon, each with the sig that follows it and a
 * status read from the verbs around it ("started", "discontinued", "continue", "hold").
 */
import { mentionContext, withinHeaderScope } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons, type DrugTerm, type Lexicons } from './lexicons.ts';
import type { PhraseMatch } from './phrase-index.ts';
import type { Medication, Span } from './schema.ts';
import { parseSig, routeBefore, sigEvidenceStart } from './sig.ts';

const maxSigChars = 120;
/** Names that are also ordinary words or lab analytes need their sig right after them. */
const weakEvidenceChars = 25;

const statusCues: Array<[RegExp, Medication['status']]> = [
  [/\b(stop(?:ped|ping)?|discontinu(?:e|ed|ing)|d\/c(?:'d)?|dc'd|came off|taken off|no longer (?:taking|on|using))\b/i, 'stopped'],
  [/\b(hold|held|holding)\b/i, 'held'],
  [/\b(increas(?:e|ed|ing)|decreas(?:e|ed|ing)|titrat(?:e|ed|ing)|adjust(?:ed|ing)?|switch(?:ed|ing)?|chang(?:e|ed|ing)|reduc(?:e|ed|ing)|doubl(?:e|ed)|taper(?:ed|ing)?)\b/i, 'changed'],
  [/\b(start(?:ed|ing)?|initiat(?:e|ed|ing)|begin|began|prescrib(?:e|ed|ing)|add(?:ed|ing)?|trial of|put (?:him|her|them|the patient) on|place(?:d)? (?:him|her|them|the patient) on|gave|given|administered|treated with|received|rx)\b/i, 'started'],
  [/\b(continu(?:e|es|ed|ing)|remain(?:s|ed)? on|resum(?:e|ed|ing)|still (?:taking|on|using)|refill(?:ed|s)?)\b/i, 'continued'],
  [/\b(completed|finished)\b/i, 'completed'],
  [/\b(consider(?:ing)?|discussed|plan(?:s|ned)? to start)\b/i, 'intended'],
  // "Complete doxycycline course", "finish the antibiotics": the drug is taken until the course ends.
  [/\b(complet(?:e|es|ing)|finish(?:es|ing)?)\b/i, 'active'],
  [/\b(tak(?:es|ing)|is on|was on|uses|using|utiliz(?:e|es|ing)|(?:discharged|maintained|currently|now|already|kept|stable) on)\b/i, 'active'],
];

/**
 * The RxNorm coding of a drug term: its ingredient, or for a combination ("buprenorphine-naloxone") the RxNorm
 * multiple-ingredient concept when RxNorm has one for exactly those ingredients; null otherwise.
 */
export function rxnormCoding(term: DrugTerm): Medication['rxnorm'] {
  if (term.rxcuis.length === 1) return { code: term.rxcuis[0]!, display: term.display };
  if (term.rxcuis.length === 0) return null;
  return lexicons().drugCombinations.get([...new Set(term.rxcuis)].sort().join(' ')) ?? null;
}

const globalStatusCues = statusCues.map(([pattern, status]) => [new RegExp(pattern.source, 'gi'), status] as const);

/** The status cue closest before the drug in its clause, or right after it ("lisinopril was discontinued"). */
function statusOf(doc: NoteDocument, drug: PhraseMatch<DrugTerm>, clauseStart: number, sigWindow: string): { status: Medication['status']; cue: Span | null } | null {
  const before = doc.text.slice(clauseStart, drug.start);
  let best: { status: Medication['status']; cue: Span; at: number } | null = null;
  for (const [pattern, status] of globalStatusCues) {
    for (const m of before.matchAll(pattern)) {
      const at = clauseStart + m.index;
      if (!best || at > best.at) best = { status, cue: { start: at, end: at + m[0].length, text: m[0] }, at };
    }
  }
  // "Will start amitriptyline 25 mg nightly if frequency rises", "will start allopurinol 2 weeks after the flare
  // resolves": a start that waits on a condition or a later time; "We will start him on Ultram" starts it now.
  const sentenceEnd = doc.sentences[doc.sentenceIndexAt(drug.start)]?.end ?? doc.text.length;
  if (
    best?.status === 'started' &&
    /\b(?:will|plan(?:s|ned)?\s+to|planning\s+to|going\s+to)\s+$/i.test(doc.text.slice(clauseStart, best.at)) &&
    /\b(?:if|once|when|unless|after|before|in \d+ (?:days?|weeks?|months?)|next (?:visit|week|month))\b/i.test(doc.text.slice(drug.end, sentenceEnd))
  ) {
    return { status: 'intended', cue: best.cue };
  }
  if (best) return { status: best.status, cue: best.cue };
  // "Hypertension on amlodipine": a drug the patient is on.
  const on = /\bon\s+$/i.exec(before);
  if (on) return { status: 'active', cue: { start: clauseStart + on.index, end: clauseStart + on.index + 2, text: on[0].slice(0, 2) } };
  // "lisinopril was discontinued", "tetanus toxoid given".
  const after = /^\s*(?:(?:was|were|has been|have been|is|are|will be|to be)\s+(\w+(?:\s\w+)?)|(given|administered|started|stopped|discontinued|held|continued|completed|resumed)\b)/i.exec(sigWindow);
  if (after) {
    const verb = after[1] ?? after[2]!;
    for (const [pattern, status] of statusCues) {
      const m = pattern.exec(verb);
      if (m) {
        const at = drug.end + after[0].length - verb.length + m.index;
        return { status, cue: { start: at, end: at + m[0].length, text: m[0] } };
      }
    }
  }
  return null;
}

/**
 * Drug names joined by a hyphen or slash name one combination product ("piperacillin-tazobactam",
 * "trimethoprim/sulfamethoxazole"): one match standing for every ingredient.
 */
export function joinCombinations(doc: NoteDocument, matches: ReadonlyArray<PhraseMatch<DrugTerm>>): PhraseMatch<DrugTerm>[] {
  const out: PhraseMatch<DrugTerm>[] = [];
  for (const match of matches) {
    const previous = out[out.length - 1];
    const joiner = previous ? doc.text.slice(previous.end, match.start) : '';
    if (previous && /^\s*[-/]\s*$/.test(joiner) && !previous.value.weak && !match.value.weak) {
      out[out.length - 1] = {
        value: {
          display: `${previous.value.display} / ${match.value.display}`,
          rxcuis: [...previous.value.rxcuis, ...match.value.rxcuis],
          brand: false,
          weak: false,
        },
        firstToken: previous.firstToken,
        endToken: match.endToken,
        words: previous.words + match.words,
        start: previous.start,
        end: match.end,
      };
    } else out.push(match);
  }
  return out;
}

/** Dose forms and devices a product name may end with ("Naloxone nasal spray", "buprenorphine transdermal patch"). */
const formTail = /^[\s-]*(?:nasal spray|spray|transdermal patch|patch|inhaler|auto-?injector|eye drops|drops|cream|ointment|gel|lotion|tablets?|capsules?|solution|injection)\s*$/i;

/**
 * A product name that is a drug plus its form is the drug: the name is the drug's (issue 16 spans, "without dose,
 * form or device") and so is its coding; the form is read by the sig.
 */
function withoutForm(doc: NoteDocument, drugs: Lexicons['drugs'], match: PhraseMatch<DrugTerm>): PhraseMatch<DrugTerm> {
  if (match.endToken - match.firstToken < 2) return match;
  const head = drugs.matchAt(doc.tokens, match.firstToken, match.endToken - 1);
  if (!head || !formTail.test(doc.text.slice(head.end, match.end))) return match;
  // With its form written, a name that is also an analyte ("nicotine patch") is the drug.
  return { ...head, value: { ...head.value, weak: head.value.weak && match.value.weak } };
}

export function extractMedications(doc: NoteDocument, excluded: ReadonlyArray<Span> = []): Medication[] {
  const medications: Medication[] = [];
  const { drugs, labs, problems } = lexicons();
  for (const sentence of doc.sentences) {
    const named = drugs.matchAll(doc.tokens, sentence.firstToken, sentence.endToken).map((m) => withoutForm(doc, drugs, m));
    const matches = joinCombinations(doc, named);
    matches.forEach((drug, i) => {
      if (doc.inHeader(drug.start)) return;
      if (excluded.some((e) => drug.start < e.end && drug.end > e.start)) return;
      const section = doc.sectionAt(drug.start);
      // Only a written ALLERGIES header makes a drug an allergen; a section guessed from content is no evidence, and an
      // inline label speaks for its own sentence ("Allergies: peanut (hives). Carries epinephrine auto-injector").
      const headedSection = section && section.headerEnd !== null && withinHeaderScope(doc, section.headerEnd, drug.start) ? section.type : undefined;
      if (headedSection === 'allergies') return;
      const lineEnd = doc.text.indexOf('\n', drug.end);
      const windowEnd = Math.min(
        matches[i + 1]?.start ?? Infinity,
        lineEnd < 0 ? doc.text.length : lineEnd,
        sentence.end,
        drug.end + maxSigChars,
      );
      const window = doc.text.slice(drug.end, windowEnd);
      // "Her digoxin level is 0.6" reports a drug level, a lab result; "opioid use disorder", "opioid overdose" name a condition.
      if (/^\s*(?:levels?|concentrations?|use disorders?|overdose)\b/i.test(window)) return;
      // "Heparin-induced thrombocytopenia", "digoxin toxicity", "iron deficiency anemia": a drug name that begins a
      // longer condition name is part of that condition, which the problem extractor reads.
      const condition = problems.matchAt(doc.tokens, drug.firstToken);
      if (condition && condition.endToken > drug.endToken) return;
      const parsed = parseSig(window, drug.end);
      // "nebulized salbutamol and IV methylprednisolone": a route right before the next drug is that drug's.
      const nextDrug = matches[i + 1];
      const routeOfNext = parsed.route && nextDrug && windowEnd === nextDrug.start && doc.text.slice(parsed.route.end, windowEnd).trim() === '';
      const sig = { ...parsed, route: (routeOfNext ? null : parsed.route) ?? routeBefore(doc.text, drug.start, Math.max(sentence.start, matches[i - 1]?.end ?? 0)) };
      const evidenceAt = sigEvidenceStart(sig);
      const evidence = evidenceAt !== null;
      const clauseStart = Math.max(sentence.start, matches[i - 1]?.end ?? 0);
      const found = statusOf(doc, drug, clauseStart, window);
      // "Start insulin infusion": a verb of giving right before the name makes it the drug, not the analyte.
      const givenRightBefore = found !== null && found.cue !== null && found.cue.end <= drug.start && /^\s?$/.test(doc.text.slice(found.cue.end, drug.start));
      if (drug.value.weak && !givenRightBefore && (evidenceAt === null || evidenceAt - drug.end > weakEvidenceChars)) return;
      // "Urine drug screen negative for fentanyl": a drug a screen tests for is that test's result.
      if (labs.matchAt(doc.tokens, drug.firstToken) && /\b(?:drug screen|tox(?:icology)? screen|UDS)\b/i.test(doc.text.slice(sentence.start, drug.start))) return;
      // "glucose 212 mg", "calcium 9.1 mg/dL": a lab analyte with an amount and no status, route, frequency, dose or
      // form is a result; "potassium chloride 20 mEq PO daily" and "on norepinephrine 0.12 mcg/kg/min" are drugs.
      if (drug.value.weak && !found && !sig.route && !sig.frequency && !sig.dose && !sig.form && labs.matchAt(doc.tokens, drug.firstToken)) return;
      const context = mentionContext(doc, drug.start, drug.end, section?.type ?? null);
      const end = Math.max(drug.end, ...[sig.strength, sig.dose, sig.form, sig.route, sig.frequency, sig.duration, sig.indication, ...sig.conditions].map((s) => s?.end ?? 0));
      // "Given epinephrine 0.5 mg IM, diphenhydramine 50 mg IV": a verb governs the whole list after it.
      const previous = medications[medications.length - 1];
      const listed = !found && previous && previous.end <= drug.start && previous.start >= sentence.start && /^\s*(?:[A-Z]{1,4}\s*)?[,;]?\s*(?:(?:and|or)\s+)?(?:[A-Z]{1,4}\s+)?$/.test(doc.text.slice(previous.end, drug.start));
      const cued = found ?? (listed && previous.statusCue ? { status: previous.status, cue: previous.statusCue } : null);
      // A drug written with its dose, route or frequency and no verb ("Tamsulosin 0.4 mg daily") is being taken.
      const asWritten = headedSection === 'medications' || (evidence && !context.negated && !context.hypothetical) ? 'active' : 'unknown';
      const status = cued?.status ?? asWritten;
      const term = drug.value;
      medications.push({
        id: `m${medications.length + 1}`,
        start: drug.start,
        end,
        text: doc.text.slice(drug.start, end),
        name: doc.text.slice(drug.start, drug.end),
        ingredient: term.display,
        rxcui: term.rxcuis.length === 1 ? term.rxcuis[0]! : null,
        rxcuis: term.rxcuis,
        rxnorm: rxnormCoding(term),
        brand: term.brand,
        strength: sig.strength,
        dose: sig.dose,
        form: sig.form,
        route: sig.route,
        frequency: sig.frequency,
        asNeeded: sig.asNeeded,
        duration: sig.duration,
        indication: sig.indication,
        status,
        statusCue: cued?.cue ?? null,
        conditions: sig.conditions,
        sectionId: section?.id ?? null,
        sectionType: section?.type ?? null,
        context,
        confidence: term.weak ? 0.7 : evidence ? 0.95 : 0.85,
        source: 'rules',
      });
    });
  }
  return medications;
}
