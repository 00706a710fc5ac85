/**
 * Allergies: explicit "no known allergies" statements (NKDA, NKA, "denies allergies"), and allergens with their
 * reactions and severity, read from ALLERGIES sections and from "allergic to …" / "… allergy" phrases elsewhere.
 */
import { mentionContext } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons } from './lexicons.ts';
import type { PhraseMatch } from './phrase-index.ts';
import { joinCombinations } from './medications.ts';
import type { Allergy, Span } from './schema.ts';

const noKnownPatterns: Array<[RegExp, NonNullable<Allergy['scope']>]> = [
  [/\bNKDA\b|\bno known (?:drug|medication|medicine|medical) allerg(?:y|ies)\b|\bno (?:drug|medication) allerg(?:y|ies)\b/gi, 'drug'],
  [/\bno known food allerg(?:y|ies)\b/gi, 'food'],
  [/\bno known environmental allerg(?:y|ies)\b/gi, 'environment'],
  [/\bNKA\b|\bno known allerg(?:y|ies)\b|\bno allerg(?:y|ies)\b|\bdenies (?:any )?allerg(?:y|ies)\b|\bnot allergic to anything\b/gi, 'all'],
];

const severityPattern = /\b(mild|moderate|severe|life[- ]threatening|anaphyla(?:xis|ctic))\b/i;

function severityOf(text: string): Allergy['severity'] {
  const m = severityPattern.exec(text);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  return word === 'mild' ? 'mild' : word === 'moderate' ? 'moderate' : 'severe';
}

interface Clause {
  start: number;
  end: number;
}

/** Item boundaries inside an allergy list: commas, semicolons, line breaks, " and ". */
function clauses(text: string, start: number, end: number): Clause[] {
  const out: Clause[] = [];
  let from = start;
  const re = /[,;\n]|\band\b|\.(?=\s|$)/g;
  re.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m.index < end) {
    // A parenthesised reaction list "(rash, hives)" stays with its allergen.
    const open = text.lastIndexOf('(', m.index);
    const close = text.lastIndexOf(')', m.index);
    if (open > close && open >= from) continue;
    out.push({ start: from, end: m.index });
    from = m.index + m[0].length;
  }
  out.push({ start: from, end });
  return out.filter((c) => text.slice(c.start, c.end).trim().length > 0);
}

function substanceIn(doc: NoteDocument, from: number, to: number): Allergy['substance'] {
  const lex = lexicons();
  const first = doc.tokens.findIndex((t) => t.start >= from);
  if (first < 0) return null;
  let last = first;
  while (last < doc.tokens.length && doc.tokens[last]!.end <= to) last++;
  for (let i = first; i < last; i++) {
    const single = lex.drugs.matchAt(doc.tokens, i, last);
    // "trimethoprim-sulfamethoxazole": a combination is one allergen.
    const partner = single && single.endToken + 1 < last ? lex.drugs.matchAt(doc.tokens, single.endToken + 1, last) : null;
    const drug = single && partner ? joinCombinations(doc, [single, partner])[0]! : single;
    const allergen = lex.allergens.matchAt(doc.tokens, i, last);
    // Prefer the longer phrase ("sulfa drugs" over "sulfa"); on a tie, a drug with an RxNorm id.
    const allergenWins = allergen && (!drug || allergen.endToken > drug.endToken || (allergen.endToken === drug.endToken && drug.value.rxcuis.length === 0));
    const best: PhraseMatch<unknown> | null = allergenWins ? allergen : drug;
    if (!best) continue;
    const text = doc.text.slice(best.start, best.end);
    if (best === drug && drug) {
      return {
        start: drug.start, end: drug.end, text,
        display: drug.value.display,
        system: drug.value.rxcuis.length === 1 ? 'http://www.nlm.nih.gov/research/umls/rxnorm' : null,
        code: drug.value.rxcuis.length === 1 ? drug.value.rxcuis[0]! : null,
        category: 'medication',
        rxcui: drug.value.rxcuis.length === 1 ? drug.value.rxcuis[0]! : null,
      };
    }
    const a = allergen!.value;
    return { start: allergen!.start, end: allergen!.end, text, display: a.display, system: a.system, code: a.code, category: a.category, rxcui: a.system?.includes('rxnorm') ? a.code : null };
  }
  return null;
}

function reactionsIn(doc: NoteDocument, from: number, to: number, substance: Span | null): Allergy['reactions'] {
  const lex = lexicons();
  const first = doc.tokens.findIndex((t) => t.start >= from);
  if (first < 0) return [];
  let last = first;
  while (last < doc.tokens.length && doc.tokens[last]!.end <= to) last++;
  return lex.reactions
    .matchAll(doc.tokens, first, last)
    .filter((m) => !substance || m.end <= substance.start || m.start >= substance.end)
    .map((m) => {
      const text = doc.text.slice(m.start, m.end);
      // The chart shows the note's words ("hives"); the coded term ("Wheal (finding)") stays beside the code.
      return { start: m.start, end: m.end, text, display: text.toLowerCase(), system: m.value.system, code: m.value.code, codeDisplay: m.value.display };
    });
}

export function extractAllergies(doc: NoteDocument): Allergy[] {
  const allergies: Allergy[] = [];
  const covered: Clause[] = [];
  const push = (item: Omit<Allergy, 'id'>) => {
    allergies.push({ id: `a${allergies.length + 1}`, ...item });
    covered.push({ start: item.start, end: item.end });
  };
  const isCovered = (start: number, end: number) => covered.some((c) => start < c.end && end > c.start);

  for (const [pattern, scope] of noKnownPatterns) {
    for (const m of doc.text.matchAll(pattern)) {
      if (isCovered(m.index, m.index + m[0].length)) continue;
      push({
        start: m.index, end: m.index + m[0].length, text: m[0], noKnownAllergies: true, scope,
        substance: null, reactions: [], severity: null, sectionId: doc.sectionAt(m.index)?.id ?? null, confidence: 0.97, source: 'rules',
      });
    }
  }

  /** `reactionsUntil`: how far reactions may be read ("allergic to penicillin, which gave her hives"). */
  const add = (clause: Clause, confidence: number, reactionsUntil = clause.end) => {
    const substance = substanceIn(doc, clause.start, clause.end);
    if (!substance || isCovered(substance.start, substance.end)) return;
    // "The patient denies latex allergy": a denied allergy is not an allergy.
    const context = mentionContext(doc, substance.start, substance.end, doc.sectionAt(substance.start)?.type ?? null);
    if (context.negated || context.hypothetical || context.family) return;
    const reactions = reactionsIn(doc, clause.start, Math.max(clause.end, reactionsUntil), substance);
    const end = Math.max(substance.end, ...reactions.map((r) => r.end));
    const text = doc.text.slice(clause.start, clause.end);
    push({
      start: substance.start, end, text: doc.text.slice(substance.start, end), noKnownAllergies: false, scope: null,
      substance, reactions, severity: severityOf(text), sectionId: doc.sectionAt(substance.start)?.id ?? null, confidence, source: 'rules',
    });
  };

  /** A list of allergens; a clause without one ("which gave her hives") still describes the allergen before it. */
  const addList = (from: number, to: number, confidence: number) => {
    const listed = clauses(doc.text, from, to);
    const hasSubstance = listed.map((c) => substanceIn(doc, c.start, c.end) !== null);
    listed.forEach((clause, i) => {
      if (!hasSubstance[i]) return;
      const next = listed.findIndex((_, j) => j > i && hasSubstance[j]);
      add(clause, confidence, next < 0 ? to : listed[next]!.start);
    });
  };

  for (const section of doc.sections) {
    // A written header only: a stretch guessed from content to be an allergy list ("Complete doxycycline course.") is not one.
    if (section.type !== 'allergies' || section.headerEnd === null) continue;
    const bodyStart = section.headerEnd;
    // An inline label after the list ("Allergies: codeine (rash). Current meds: …") starts something else.
    const nextLabel = /[.;]\s+[A-Z][A-Za-z/ ]{1,30}:/.exec(doc.text.slice(bodyStart, section.end));
    const bodyEnd = nextLabel ? bodyStart + nextLabel.index + 1 : section.end;
    const body = doc.text.slice(bodyStart, bodyEnd);
    // "None." / "None known." in an allergy section is a no-known-allergies statement.
    const none = /^[\s,;:.-]*(none(?: known)?|nil|no)\b[\s,;:.-]*$/i.exec(body);
    if (none) {
      const at = bodyStart + body.indexOf(none[1]!);
      if (!isCovered(at, at + none[1]!.length)) {
        push({
          start: at, end: at + none[1]!.length, text: none[1]!, noKnownAllergies: true, scope: 'all',
          substance: null, reactions: [], severity: null, sectionId: section.id, confidence: 0.9, source: 'rules',
        });
      }
      continue;
    }
    addList(bodyStart, bodyEnd, 0.9);
  }

  // Outside allergy sections: "allergic to X", "allergy to X", "allergies include X", "X allergy".
  for (const m of doc.text.matchAll(/\b(?:allergic to|allerg(?:y|ies) to|allergies include|allergies:|intolerant of|intolerance to)\s+/gi)) {
    const from = m.index + m[0].length;
    const sentence = doc.sentences[doc.sentenceIndexAt(m.index)];
    const to = Math.min(sentence?.end ?? doc.text.length, from + 120);
    addList(from, to, 0.85);
  }
  // "latex allergy", "sulfa drug allergies": up to two words before the word allergy.
  for (const m of doc.text.matchAll(/\s(?:allergy|allergies|intolerance)\b/gi)) {
    const before = /(\w[\w-]*(?: \w[\w-]*)?)$/.exec(doc.text.slice(Math.max(0, m.index - 40), m.index));
    // "penicillin allergy from childhood (hives at age 4)": a bracket soon after holds its reactions.
    const sentenceEnd = doc.sentences[doc.sentenceIndexAt(m.index)]?.end ?? doc.text.length;
    const bracket = /^[^(.;]{0,40}\([^)]*\)/.exec(doc.text.slice(m.index, sentenceEnd));
    if (before) add({ start: m.index - before[0].length, end: m.index }, 0.8, bracket ? m.index + bracket[0].length : m.index);
  }
  return allergies.sort((a, b) => a.start - b.start).map((a, i) => ({ ...a, id: `a${i + 1}` }));
}
