/**
 * ConText (Harkema et al. 2009; NegEx, Chapman et al. 2001) over a note: for a mention, decide whether it is
 * negated, uncertain, historical, hypothetical or experienced by a family member.
 *
 * Within the mention's sentence, each trigger phrase has a direction: forward triggers ("no", "history of")
 * reach the words after them, backward triggers ("was ruled out") the words before them. A trigger's reach
 * stops at the sentence end and at terminators ("but", "reports", "presents with") that close its category.
 * Pseudo-triggers ("no increase", "58-year-old") are longer phrases that contain a trigger word without its
 * meaning; longest-match lookup lets them shadow it. Section defaults add what the sentence does not say:
 * findings under FAMILY HISTORY belong to relatives, under PAST MEDICAL HISTORY to the past.
 */
import type { NoteDocument } from './document.ts';
import type { TriggerCategory, TriggerRecord } from './lexicon-format.ts';
import { lexicons } from './lexicons.ts';
import type { PhraseMatch } from './phrase-index.ts';
import { historicalSections, type SectionType } from './section-catalog.ts';
import type { ContextCue, MentionContext } from './schema.ts';

type ModifierCategory = Exclude<TriggerCategory, 'pseudo' | 'terminate'>;

/** Temporality and experiencer are independent of assertion: "no history of" is negated and historical. */
const embeddable = new Set<TriggerCategory>(['historical', 'family']);

function sentenceTriggers(doc: NoteDocument, sentence: number): PhraseMatch<TriggerRecord>[] {
  return doc.cachedTriggers(sentence, () => {
    const s = doc.sentences[sentence]!;
    const index = lexicons().triggers;
    const matches = index.matchAll(doc.tokens, s.firstToken, s.endToken);
    const embedded: PhraseMatch<TriggerRecord>[] = [];
    for (const m of matches) {
      if (m.value.category === 'pseudo' || m.value.category === 'terminate') continue;
      for (let i = m.firstToken + 1; i < m.endToken; i++) {
        const inner = index.matchAt(doc.tokens, i, m.endToken);
        if (inner && embeddable.has(inner.value.category) && inner.value.category !== m.value.category) {
          embedded.push({ ...inner, firstToken: m.firstToken, endToken: m.endToken, start: m.start, end: m.end });
        }
      }
    }
    return embedded.length > 0 ? [...matches, ...embedded] : matches;
  });
}

function closes(trigger: TriggerRecord, category: ModifierCategory): boolean {
  return trigger.category === 'terminate' && (trigger.closes === 'all' || trigger.closes.includes(category));
}

/** True when a terminator for `category` lies between token positions [from, to). */
function terminated(triggers: ReadonlyArray<PhraseMatch<TriggerRecord>>, category: ModifierCategory, from: number, to: number): boolean {
  for (const t of triggers) {
    if (t.firstToken >= from && t.endToken <= to && closes(t.value, category)) return true;
  }
  return false;
}

function reaches(
  trigger: PhraseMatch<TriggerRecord>,
  triggers: ReadonlyArray<PhraseMatch<TriggerRecord>>,
  firstToken: number,
  endToken: number,
): boolean {
  const category = trigger.value.category as ModifierCategory;
  const direction = trigger.value.direction;
  if ((direction === 'forward' || direction === 'bidirectional') && trigger.endToken <= firstToken) {
    if (!terminated(triggers, category, trigger.endToken, firstToken)) return true;
  }
  if ((direction === 'backward' || direction === 'bidirectional') && trigger.firstToken >= endToken) {
    if (!terminated(triggers, category, endToken, trigger.firstToken)) return true;
  }
  return false;
}

/** The six assertion classes a reader of the note uses (absent, family, hypothetical, possible, historical, present). */
export type Assertion = 'present' | 'absent' | 'possible' | 'historical' | 'family' | 'hypothetical';

/** One assertion from a mention's ConText flags: negation first, then who, then when. */
export function assertionOf(context: Pick<MentionContext, 'negated' | 'family' | 'hypothetical' | 'uncertain' | 'historical'>): Assertion {
  if (context.negated) return 'absent';
  if (context.family) return 'family';
  if (context.hypothetical) return 'hypothetical';
  if (context.uncertain) return 'possible';
  if (context.historical) return 'historical';
  return 'present';
}

/**
 * A sentence that moves on from an inline label's list: a measured value ("Creatinine 1.9, eGFR 36") or an
 * instruction ("Hold lisinopril for hyperkalemia"). Years are dates inside the list ("MI in 2019"), not values.
 */
const movesOn = /(?<![\d.])(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?|^\W*(?:hold|continue|start|stop|increase|decrease|reduce|give|begin|resume|discontinue|add|switch|check|recheck|repeat|plan)\b/i;

/**
 * Whether a section's header still speaks for the text at `offset`. A header on a line of its own governs its
 * section. An inline label ("PAST MEDICAL HISTORY: Hypertension. Diabetes.", "PMH: CKD stage 3b, HTN.") governs
 * the sentences after it until one moves on to values or instructions ("… Creatinine 1.9. Hold lisinopril for
 * hyperkalemia."): the note has left the list even when no further header is written.
 */
export function withinHeaderScope(doc: NoteDocument, headerEnd: number, offset: number): boolean {
  const lineEnd = doc.text.indexOf('\n', headerEnd);
  const inline = doc.text.slice(headerEnd, lineEnd < 0 ? doc.text.length : lineEnd).trim() !== '';
  if (!inline) return true;
  const opened = doc.sentenceIndexAt(headerEnd);
  const first = doc.sentences[opened] && doc.sentences[opened]!.end > headerEnd ? opened : opened + 1;
  const at = doc.sentenceIndexAt(offset);
  for (let i = first + 1; i <= at; i++) {
    const sentence = doc.sentences[i]!;
    if (movesOn.test(doc.text.slice(sentence.start, sentence.end))) return false;
  }
  return true;
}

/** The context of the mention at text offsets [start, end), given the section it sits in. */
export function mentionContext(doc: NoteDocument, start: number, end: number, sectionType: SectionType | null): MentionContext {
  const sentence = doc.sentenceIndexAt(start);
  const s = doc.sentences[sentence];
  const flags: Record<ModifierCategory, boolean> = { negated: false, uncertain: false, historical: false, hypothetical: false, family: false };
  const cues: ContextCue[] = [];
  if (s) {
    let firstToken = s.firstToken;
    while (firstToken < s.endToken && doc.tokens[firstToken]!.end <= start) firstToken++;
    let endToken = firstToken;
    while (endToken < s.endToken && doc.tokens[endToken]!.start < end) endToken++;
    const triggers = sentenceTriggers(doc, sentence);
    for (const trigger of triggers) {
      const category = trigger.value.category;
      if (category === 'pseudo' || category === 'terminate') continue;
      // A trigger inside the mention is part of its name ("no known allergies" is its own finding).
      if (trigger.endToken > firstToken && trigger.firstToken < endToken) continue;
      if (!reaches(trigger, triggers, firstToken, endToken)) continue;
      flags[category] = true;
      cues.push({ category, start: trigger.start, end: trigger.end, text: doc.text.slice(trigger.start, trigger.end) });
    }
  }
  // A past time right after the mention dates it: "TIA in 2020", "MI in 2019 s/p stent", "hypoglycemia twice last year",
  // "Left inguinal hernia repaired in 2015".
  if (s && !flags.historical && !flags.hypothetical) {
    const dated = /^\s*(?:(?:once|twice|again|repaired|resected|removed|resolved)\s+)?(?:(?:in|during)\s+(?:19|20)\d\d|last\s+(?:week|month|year)|as a child)\b/i.exec(doc.text.slice(end, Math.min(s.end, end + 24)));
    if (dated) {
      flags.historical = true;
      cues.push({ category: 'historical', start: end + dated[0].length - dated[0].trimStart().length, end: end + dated[0].length, text: dated[0].trim() });
    }
  }
  // Section defaults need a written header: a guess from content is not evidence about the past or relatives.
  const section = doc.sectionAt(start);
  if (sectionType && section && section.headerStart !== null && withinHeaderScope(doc, section.headerEnd!, start)) {
    const header = { start: section.headerStart, end: section.headerEnd!, text: doc.text.slice(section.headerStart, section.headerEnd!) };
    if (sectionType === 'family_history' && !flags.family) {
      flags.family = true;
      cues.push({ category: 'section', ...header });
    }
    if (historicalSections.has(sectionType) && !flags.historical && !flags.hypothetical) {
      flags.historical = true;
      cues.push({ category: 'section', ...header });
    }
  }
  return {
    ...flags,
    assertion: flags.negated ? 'absent' : flags.uncertain ? 'possible' : 'present',
    temporality: flags.hypothetical ? 'hypothetical' : flags.historical ? 'historical' : 'current',
    experiencer: flags.family ? 'family' : 'patient',
    cues,
  };
}
