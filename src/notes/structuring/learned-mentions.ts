/**
 * The learned mention finder's disease mentions (ner/) merged into the lexicon's problems (issue 16). The lexicon
 * stays the source of what coding reads; the finder adds the conditions the lexicon lacks and widens a problem's
 * span over a name the lexicon only partly knows ("Alzheimer's dementia" where it matched "dementia").
 *
 * - A widened problem keeps the lexicon's words in `wording`, its term, codes and ConText context.
 * - A mention no lexicon problem overlaps becomes a problem (`source: 'ner'`) with the ConText context of its span;
 *   it carries a code only when its words name one ICD-10-CM code outright (`confidentCode`).
 * - The word-sense rules of the lexicon's problems apply to the finder's mentions too: no problem inside a drug,
 *   lab, vital or allergy span, ECG or imaging wording, an allergy list, a header, or a test or service named after
 *   the disease; nor in an imaging or ECG report's own words.
 */
import { mentionContext } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons } from './lexicons.ts';
import type { NerMention } from './ner/model.ts';
import { isModifiersOnly, isOtherSenseOfProblem, ongoingIfChronic, problemCategory, withModifiers } from './problems.ts';
import type { Problem, Span } from './schema.ts';
import type { SectionType } from './section-catalog.ts';
import { tokenIndexAt } from '../../text/tokens.ts';

/**
 * Sections the finder does not read: an operative or procedure narrative's words are the procedure's (anatomy,
 * instruments, technique; the diagnoses have their own sections), an allergy list's are reactions, vital signs are
 * measures. Their lexicon problems stand as the rules found them. Procedure narratives are most of a long
 * operative note, so this is also what keeps the finder within structuring's time budget.
 */
const unreadSections: ReadonlySet<SectionType> = new Set(['procedures', 'allergies', 'vital_signs']);

/** The text the finder reads: the note with the unread sections blanked out, so offsets stay the note's. */
export function textForFinder(doc: NoteDocument): string {
  let text = doc.text;
  for (const section of doc.sections) {
    if (!unreadSections.has(section.type)) continue;
    text = text.slice(0, section.start) + text.slice(section.start, section.end).replace(/[^\n]/g, ' ') + text.slice(section.end);
  }
  return text;
}

/** Below this mean tag probability a mention is too often not a condition of the patient. */
const minimumMentionScore = 0.5;

/**
 * Words the finder takes into a name that are not the condition's own (see eval/entities/README.md): course and size
 * ("worsening", "small"), and generic words that name no condition ("chronic illnesses", "Allergy").
 */
const notOwnWords = /\b(?:new|known|worsening|progressive|improving|stable|resolving|resolved|recent|ongoing|small|large|tiny)\b/i;
const genericWords = new Set(['allergy', 'allergies', 'allergic', 'illness', 'illnesses', 'disease', 'diseases', 'disorder', 'disorders', 'syndrome', 'syndromes', 'toxicity', 'condition', 'conditions', 'problem', 'problems', 'deficit', 'deficits', 'chronic', 'acute', 'residual', 'other', 'medical', 'infectious', 'multiple', 'several']);
/**
 * One word the lexicon does not know as a condition: an abbreviation ("UA", "BSA": tests and measures as often as
 * conditions) or an adjective ("febrile" in "paracetamol when febrile") describes rather than names.
 */
const notAName = /^(?:[A-Z0-9]+|[A-Za-z]+(?:ile|ic|ous|al|ed|ive))$/;
/**
 * Heads that make a chemical's name a condition. The network, taught BC5CDR's abstracts, often reads "serotonin
 * syndrome" as the chemical "serotonin" beside the disease "syndrome"; a clinician reads one condition.
 */
const chemicalConditionHead = /^(?:syndrome|toxicity|poisoning|intoxication|overdose|withdrawal|deficiency)$/i;
/** Head nouns that a name may end in after the lexicon's phrase ("hereditary breast and ovarian cancer syndrome"). */
const trailingHead = /^[\s-]+(?:syndrome|disease|disorder)$/i;
/** A line that reports an imaging study or an ECG: its findings are the test's wording, not diagnoses. */
const imagingReport = /(?:^|[.;\n])\s*(?:CT|CTA|MRI|MRA|X-?ray|CXR|chest film|ultrasound|US|echo(?:cardiogram)?|TTE|TEE|ECG|EKG|imaging)\b[^:.;\n]{0,40}:[^.;\n]*$/i;

export interface LearnedMentionsInput {
  doc: NoteDocument;
  /** The lexicon's problems, in text order. */
  problems: ReadonlyArray<Problem>;
  mentions: ReadonlyArray<NerMention>;
  /** Spans other extractors own (drug names, labs, vitals, allergens and reactions). */
  excluded: ReadonlyArray<Span>;
  /** The one ICD-10-CM code the words name outright, or null. */
  confidentCode: (words: string) => string | null;
}

/** True when a ConText trigger (a cue such as "denies", "history of") lies in [start, end). */
function hasCue(doc: NoteDocument, start: number, end: number): boolean {
  const first = tokenIndexAt(doc.tokens, start);
  const last = tokenIndexAt(doc.tokens, end);
  return lexicons()
    .triggers.matchAll(doc.tokens, first, last)
    .some((t) => t.start >= start && t.end <= end && t.value.category !== 'pseudo');
}

/** Whether the words the finder adds beside a lexicon problem are the condition's own. */
function ownWords(doc: NoteDocument, start: number, end: number): boolean {
  const added = doc.text.slice(start, end);
  if (start === end) return true;
  return !/[\d,;:.()\n]/.test(added) && !notOwnWords.test(added) && !hasCue(doc, start, end);
}

/** The lexicon problem widened over the finder's mention, or the problem unchanged when the mention adds nothing of its own. */
function widened(doc: NoteDocument, problem: Problem, mention: NerMention): Problem {
  const start = Math.min(problem.start, mention.start);
  let end = problem.end;
  if (mention.end > problem.end && trailingHead.test(doc.text.slice(problem.end, mention.end))) end = mention.end;
  if (start === problem.start && end === problem.end) return problem;
  if (!ownWords(doc, start, problem.start)) return problem;
  return { ...problem, start, end, text: doc.text.slice(start, end), wording: problem.wording ?? { start: problem.start, end: problem.end, text: problem.text } };
}

function isGeneric(text: string): boolean {
  return text
    .toLowerCase()
    .split(/[\s-]+/)
    .every((w) => genericWords.has(w));
}

function inImagingReport(doc: NoteDocument, start: number): boolean {
  return imagingReport.test(doc.text.slice(Math.max(0, start - 200), start));
}

/** A problem for a mention no lexicon problem overlaps, or null when it is not a condition of the patient. */
function learnedProblem(input: LearnedMentionsInput, mention: NerMention): Problem | null {
  const { doc } = input;
  const words = doc.text.slice(mention.start, mention.end);
  if (isGeneric(words) || notAName.test(words) || isModifiersOnly(words) || hasCue(doc, mention.start, mention.end)) return null;
  if (isOtherSenseOfProblem(doc, mention.start, mention.end, input.excluded) || inImagingReport(doc, mention.start)) return null;
  const code = input.confidentCode(words);
  const codes = code ? [code] : [];
  const section = doc.sectionAt(mention.start);
  const context = mentionContext(doc, mention.start, mention.end, section?.type ?? null);
  // The span takes the condition's own modifiers around the name, as a lexicon problem's does ("persistent obstruction").
  const sentence = doc.sentences[doc.sentenceIndexAt(mention.start)]!;
  const [start, end] = withModifiers(doc, mention.start, mention.end, sentence.start, sentence.end);
  return {
    id: '',
    start,
    end,
    text: doc.text.slice(start, end),
    category: code ? problemCategory(code) : 'diagnosis',
    term: words,
    candidateCodes: codes,
    matchedBy: 'ner',
    sectionId: section?.id ?? null,
    sectionType: section?.type ?? null,
    context: code ? ongoingIfChronic(doc, codes, mention.end, context) : context,
    confidence: Math.round(mention.score * 100) / 100,
    source: 'ner',
  };
}

const edgeWords = /^(?:(?:of|the|and|or|with|in|to|a|an)\s+)+|(?:\s+(?:of|the|and|or|with|in|to|a|an))+$/gi;

/** The mention without function words at its edges ("adenocarcinoma of the" → "adenocarcinoma"); null if nothing is left. */
function trimmed(text: string, mention: NerMention): NerMention | null {
  const words = text.slice(mention.start, mention.end);
  const kept = words.replace(edgeWords, '');
  if (!kept) return null;
  const start = mention.start + words.indexOf(kept);
  return { ...mention, start, end: start + kept.length };
}

/** The mentions with a chemical joined to the condition head right after it ("serotonin" + "syndrome"). */
function withChemicalConditions(text: string, mentions: ReadonlyArray<NerMention>): NerMention[] {
  const joined: NerMention[] = [];
  for (const mention of mentions) {
    const before = joined.at(-1);
    if (
      before?.type === 'chemical' &&
      mention.type === 'disease' &&
      /^[ -]$/.test(text.slice(before.end, mention.start)) &&
      chemicalConditionHead.test(text.slice(mention.start, mention.end))
    ) {
      joined[joined.length - 1] = { start: before.start, end: mention.end, type: 'disease', score: Math.min(before.score, mention.score) };
    } else {
      joined.push(mention);
    }
  }
  return joined;
}

/** The lexicon's problems with the finder's disease mentions merged in, in text order, numbered p1, p2, … */
export function mergeLearnedMentions(input: LearnedMentionsInput): Problem[] {
  const problems = [...input.problems];
  const added: Problem[] = [];
  for (const found of withChemicalConditions(input.doc.text, input.mentions)) {
    if (found.type !== 'disease' || found.score < minimumMentionScore) continue;
    const mention = trimmed(input.doc.text, found);
    if (!mention) continue;
    const overlapping = problems.flatMap((p, i) => (p.start < mention.end && mention.start < p.end ? [i] : []));
    if (overlapping.length === 1) {
      const i = overlapping[0]!;
      problems[i] = widened(input.doc, problems[i]!, mention);
    } else if (overlapping.length === 0 && !added.some((p) => p.start < mention.end && mention.start < p.end)) {
      const problem = learnedProblem(input, mention);
      if (problem) added.push(problem);
    }
  }
  if (added.length === 0) return problems;
  return [...problems, ...added].sort((a, b) => a.start - b.start).map((p, i) => ({ ...p, id: `p${i + 1}` }));
}
