/**
 * Problems, diagnoses and symptoms: longest-match lookup of the ICD-10-CM-derived problem lexicon over each
 * sentence, each mention with its candidate codes, section and ConText context.
 */
import { mentionContext } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons, type ProblemTerm } from './lexicons.ts';
import { PhraseIndex } from './phrase-index.ts';
import type { Problem, Span } from './schema.ts';
import { matchKey } from './text.ts';

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

/**
 * A problem's span keeps the condition's own modifiers written around the lexicon phrase (issue 16: "chronic
 * kidney disease stage 3b", "left lower lobe pneumonia", "cellulitis of the right forearm"): laterality, acuity,
 * course and severity words and body sites before it; a stage, a body site after "of", ICD-style qualifiers
 * after commas. ConText cues ("no", "history of") are never modifiers, so they stay outside.
 */
const sites = String.raw`(?:left|right|bilateral|upper|lower|middle|first|second|third|fourth|fifth|great|anterior|posterior|inferior|superior|lateral|medial|distal|proximal|ear|eye|breast|lung|lobe|kidney|renal|flank|chest|chest wall|abdominal|abdomen|pelvic|rectal|vaginal|urinary|bladder|gastrointestinal|gi|femoral|hip|knee|ankle|foot|toe|hand|finger|wrist|forearm|arm|elbow|shoulder|leg|thigh|calf|neck|back|lumbar|cervical|thoracic|skin|wound|scalp|facial|sigmoid|colon|mtp|joint|ovarian|prostate|testicular|cardiac|coronary|carotid|retinal)`;
const modifiers = String.raw`(?:left|right|bilateral|acute|subacute|chronic|recurrent|persistent|worsening|progressive|intermittent|severe|mild|moderate|uncontrolled|primary|secondary|displaced|nondisplaced|non-displaced|community-acquired|hospital-acquired|dry|productive|iatrogenic|hypoxic|hypercapnic|exertional|interstitial|perforated|septic|ischemic|hemorrhagic|spreading|generalized|diffuse|focal|${sites})`;
const leftModifiers = new RegExp(String.raw`(?:\b(?:${modifiers}|(?:acute\s+)?(?:exacerbation|flare)\s+of)[ -]+)+$`, 'i');
const rightModifiers = new RegExp(
  String.raw`^(?:\s+stage\s+(?:[0-5]|IV|I{1,3}V?)[a-c]?\b|\s+of\s+(?:the\s+)?${sites}(?:\s+${sites})*\b|(?:,\s*(?:recurrent|single episode|mild|moderate|severe|in (?:partial|full) remission))+\b)+`,
  'i',
);

/** The span of a lexicon match widened over the condition's own modifiers, within its sentence. */
function withModifiers(doc: NoteDocument, start: number, end: number, sentenceStart: number, sentenceEnd: number): [number, number] {
  const left = leftModifiers.exec(doc.text.slice(Math.max(sentenceStart, start - 60), start));
  const right = rightModifiers.exec(doc.text.slice(end, Math.min(sentenceEnd, end + 80)));
  return [left ? start - left[0].length : start, right ? end + right[0].length : end];
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
export function extractProblems(doc: NoteDocument, excluded: ReadonlyArray<Span> = []): Problem[] {
  const problems: Problem[] = [];
  const { problems: index } = lexicons();
  for (const sentence of doc.sentences) {
    const wording = findings().matchAll(doc.tokens, sentence.firstToken, sentence.endToken);
    for (const match of index.matchAll(doc.tokens, sentence.firstToken, sentence.endToken)) {
      if (doc.inHeader(match.start)) continue;
      if (wording.some((w) => match.start < w.end && match.end > w.start && match.end <= w.end)) continue;
      const section = doc.sectionAt(match.start);
      if (section && section.headerStart !== null && skippedSections.has(section.type)) continue;
      if (excluded.some((e) => match.start < e.end && match.end > e.start)) continue;
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
        context: mentionContext(doc, match.start, match.end, section?.type ?? null),
        confidence: confidenceOf(term, match.words),
        source: 'rules',
      });
    }
  }
  return problems;
}
