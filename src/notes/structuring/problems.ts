/**
 * Problems, diagnoses and symptoms: longest-match lookup of the ICD-10-CM-derived problem lexicon over each
 * sentence, each mention with its candidate codes, section and ConText context.
 */
import { mentionContext, withinHeaderScope } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons, type ProblemTerm } from './lexicons.ts';
import { PhraseIndex } from './phrase-index.ts';
import type { Problem, Span } from './schema.ts';
import { matchKey } from '../../text/tokens.ts';

/**
 * Headed sections whose findings are captured by a more specific extractor (allergy reactions, not problems). A
 * stretch only guessed from its content ("Complete doxycycline course." reads like a medication list) is not one.
 * A condition in a medication list ("lisinopril for hypertension") is still the patient's problem.
 */
const skippedSections = new Set(['allergies']);

/**
 * ECG, imaging and lab wording that contains a disease name without meaning the disease: "ST depression in
 * V4-V6" is not Depression, "ground-glass opacity" is a finding. A problem match inside one of these phrases is
 * dropped unless it runs past it ("ST elevation myocardial infarction" is a diagnosis). Project list.
 */
const findingPhrases = [
  'st depression', 'st segment depression', 'st elevation', 'st segment elevation', 'pr depression', 'pr segment depression',
  'j point elevation', 'st changes', 't wave inversion', 't wave inversions', 'q wave', 'q waves', 'ground glass opacity',
  'ground glass opacities', 'ground glass', 'tree in bud', 'air bronchogram', 'mass effect', 'anion gap', 'sars cov 2',
  'stress test', 'stress echo', 'stress testing',
];

let findingIndex: PhraseIndex<true> | null = null;

function findings(): PhraseIndex<true> {
  findingIndex ??= new PhraseIndex(findingPhrases.map((p) => [matchKey(p), true as const]));
  return findingIndex;
}

/** What follows a disease name when it names a service, a test or a vaccine instead. */
const namedAfter =
  /^\s+(?:[A-Z]\s+)?(?:clinic|service|consult(?:ation)?|team|department|ward|smear|test(?:ing)?|antibody|antibodies|antigen|serology|titer|pcr|igm|igg|culture|swab|viral load|rna|dna|vaccine|vaccination|immunization|immune globulin|toxoid)\b/i;

/**
 * A problem's span keeps the condition's own modifiers written around the lexicon phrase (issue 16: "chronic
 * kidney disease stage 3b", "left lower lobe pneumonia", "cellulitis of the right forearm"): laterality, acuity,
 * severity words and body sites before it; a stage and a body site after "of". Qualifiers after a comma ("croup,
 * moderate") and course words are outside the name, and ConText cues ("no", "history of") are never modifiers.
 */
const sites = String.raw`(?:left|right|bilateral|upper|lower|middle|first|second|third|fourth|fifth|great|anterior|posterior|inferior|superior|lateral|medial|distal|proximal|ear|eye|breast|lung|lobe|kidney|renal|flank|chest|chest wall|abdominal|abdomen|pelvic|rectal|vaginal|urinary|bladder|gastrointestinal|gi|femoral|hip|knee|ankle|foot|toe|hand|finger|wrist|forearm|arm|elbow|shoulder|leg|thigh|calf|neck|back|lumbar|cervical|thoracic|skin|wound|scalp|facial|sigmoid|colon|mtp|joint|ovarian|prostate|testicular|cardiac|coronary|carotid|retinal|lip|nasal|muscle|ureteral|biliary)`;
// Course words ("new", "worsening", "progressive", "improving") say how the condition is changing, not which one it is,
// so they stay outside the span; severity ("mild", "severe", "intractable", "high fever") and degree are the condition's own.
const modifiers = String.raw`(?:left|right|bilateral|acute|subacute|chronic|recurrent|persistent|intermittent|severe|mild|moderate|high|intractable|uncontrolled|primary|secondary|displaced|nondisplaced|non-displaced|community-acquired|hospital-acquired|dry|productive|iatrogenic|hypoxic|hypercapnic|exertional|interstitial|perforated|septic|ischemic|hemorrhagic|calculous|neuropathic|spreading|generalized|diffuse|focal|(?:first|second|third)[ -]degree|${sites})`;
const modifiersOnly = new RegExp(String.raw`^${modifiers}(?:[ -]+${modifiers})*$`, 'i');

/** Whether a phrase is only sites and modifiers ("right upper lobe", "left ear"): where or how, not a condition. */
export function isModifiersOnly(phrase: string): boolean {
  return modifiersOnly.test(phrase);
}
const leftModifiers = new RegExp(String.raw`(?:\b(?:${modifiers}|(?:acute\s+)?(?:exacerbation|flare)\s+of)[ -]+)+$`, 'i');
const rightModifiers = new RegExp(
  String.raw`^(?:\s+stage\s+(?:[0-5]|IV|I{1,3}V?)[a-c]?\b|\s+of\s+(?:the\s+)?${sites}(?:\s+${sites})*\b)+`,
  'i',
);

/** The span of a lexicon match widened over the condition's own modifiers, within its sentence. */
export function withModifiers(doc: NoteDocument, start: number, end: number, sentenceStart: number, sentenceEnd: number): [number, number] {
  const left = leftModifiers.exec(doc.text.slice(Math.max(sentenceStart, start - 60), start));
  const right = rightModifiers.exec(doc.text.slice(end, Math.min(sentenceEnd, end + 80)));
  return [left ? start - left[0].length : start, right ? end + right[0].length : end];
}

/**
 * ICD-10-CM categories of conditions that, once present, last (the HCUP Chronic Condition Indicator's sense: twelve
 * months or more, with ongoing care or limits on daily life). Project list of the common ones. A chronic condition
 * listed under past history ("PMH: HTN, DM2", "h/o Parkinson disease") is still the patient's: it is present, not
 * historical; an episode that is over ("MI in 2019", "history of DVT", a treated cancer) stays historical.
 */
const chronicCategories = [
  'B18', 'B20', 'D56', 'D57', 'D58', 'E03', 'E10', 'E11', 'E13', 'E66', 'E78', 'E84', 'F01', 'F02', 'F03', 'F20', 'F25',
  'F31', 'F33', 'F84', 'F90', 'G20', 'G30', 'G35', 'G40', 'G43', 'G47.3', 'G62', 'G63', 'G80', 'H40', 'H35.3', 'I10',
  'I11', 'I12', 'I13', 'I15', 'I20', 'I25', 'I27', 'I34', 'I35', 'I42', 'I48', 'I50', 'I70', 'I73', 'J41', 'J42',
  'J43', 'J44', 'J45', 'J47', 'J84', 'K21', 'K50', 'K51', 'K58', 'K70', 'K73', 'K74', 'L40', 'M05', 'M06', 'M10',
  'M15', 'M16', 'M17', 'M18', 'M19', 'M32', 'M45', 'M81', 'N18', 'N40',
];

/** Words after a mention in its clause that say the condition is over: "Graves disease treated with radioactive iodine". */
const overAfter = /^[^,;.\n]{0,60}?\b(?:treated|resolved|cured|in remission|s\/p|status post|repaired|resected|removed|excised|ablated|(?:19|20)\d\d)\b/i;

/** The context of a chronic condition found under past history, read as the ongoing condition it is. */
export function ongoingIfChronic(doc: NoteDocument, codes: ReadonlyArray<string>, end: number, context: Problem['context']): Problem['context'] {
  if (!context.historical || context.negated || context.family || context.hypothetical) return context;
  if (!chronicCategories.some((c) => codes[0]!.startsWith(c))) return context;
  // A date right after the mention ("in 2019") or a word saying it is over keeps it in the past.
  if (context.cues.some((c) => c.category === 'historical' && c.start >= end) || overAfter.test(doc.text.slice(end, end + 80))) return context;
  return { ...context, historical: false, temporality: 'current', cues: context.cues.filter((c) => c.category !== 'historical' && c.category !== 'section') };
}

export function problemCategory(code: string): Problem['category'] {
  const letter = code[0]!;
  if (letter === 'R') return Number(code.slice(1, 3)) >= 70 ? 'finding' : 'symptom';
  if (letter >= 'V' && letter <= 'Y') return 'external_cause';
  return 'diagnosis';
}

function confidenceOf(term: ProblemTerm, tokenCount: number): number {
  // One-word matches ("cold", "stroke") are more often used in another sense than multi-word terms.
  const lengthFactor = tokenCount > 1 ? 1 : term.source === 'abbreviation' ? 0.95 : 0.9;
  return Math.round(term.confidence * lengthFactor * 100) / 100;
}

/**
 * `excluded`: spans another extractor owns (an allergy's reactions: "penicillin (hives)" is not a hives problem;
 * a drug name: "tetanus toxoid given" is a vaccine, not tetanus).
 */
/**
 * Whether a condition's words at [start, end) mean something else there: a header, ECG/imaging/lab wording
 * (`findingWording`: the finding phrases of the mention's sentence), an allergy list's reaction, a span another
 * extractor owns, or a service, test or vaccine named after the disease.
 */
function isOtherSense(doc: NoteDocument, findingWording: ReadonlyArray<Span>, start: number, end: number, excluded: ReadonlyArray<Span>): boolean {
  if (doc.inHeader(start)) return true;
  if (findingWording.some((w) => start < w.end && end > w.start && end <= w.end)) return true;
  const section = doc.sectionAt(start);
  if (section && section.headerEnd !== null && skippedSections.has(section.type) && withinHeaderScope(doc, section.headerEnd, start)) return true;
  if (excluded.some((e) => start < e.end && end > e.start)) return true;
  // "Infectious disease clinic": a specialty's name; "Malaria smear negative", "HIV test", "hepatitis A vaccine": a
  // test or a vaccine named after the disease (the test is a lab, the vaccine a medication), not the patient's condition.
  return namedAfter.test(doc.text.slice(end, end + 24));
}

function findingWordingOf(doc: NoteDocument, sentence: { firstToken: number; endToken: number }): Span[] {
  return findings().matchAll(doc.tokens, sentence.firstToken, sentence.endToken).map((w) => ({ start: w.start, end: w.end, text: '' }));
}

/** `isOtherSense` for a span found by other means than the lexicon (the learned mention finder). */
export function isOtherSenseOfProblem(doc: NoteDocument, start: number, end: number, excluded: ReadonlyArray<Span>): boolean {
  const sentence = doc.sentences[doc.sentenceIndexAt(start)];
  return isOtherSense(doc, sentence ? findingWordingOf(doc, sentence) : [], start, end, excluded);
}

/** What coding reads of a problem: the lexicon's words when the learned finder corrected the span, else the span. */
export function problemWording(problem: Pick<Problem, 'start' | 'end' | 'text' | 'wording'>): Span {
  return problem.wording ?? problem;
}

export function extractProblems(doc: NoteDocument, excluded: ReadonlyArray<Span> = []): Problem[] {
  const problems: Problem[] = [];
  const { problems: index } = lexicons();
  for (const sentence of doc.sentences) {
    const wording = findingWordingOf(doc, sentence);
    for (const match of index.matchAll(doc.tokens, sentence.firstToken, sentence.endToken)) {
      if (isOtherSense(doc, wording, match.start, match.end, excluded)) continue;
      const section = doc.sectionAt(match.start);
      const term = match.value;
      const [start, end] = withModifiers(doc, match.start, match.end, sentence.start, sentence.end);
      problems.push({
        id: `p${problems.length + 1}`,
        start,
        end,
        text: doc.text.slice(start, end),
        category: problemCategory(term.codes[0]!),
        term: term.display,
        candidateCodes: term.codes,
        matchedBy: term.source,
        sectionId: section?.id ?? null,
        sectionType: section?.type ?? null,
        context: ongoingIfChronic(doc, term.codes, end, mentionContext(doc, match.start, match.end, section?.type ?? null)),
        confidence: confidenceOf(term, match.words),
        source: 'rules',
      });
    }
  }
  return problems;
}
