/**
 * Condition mentions as a coder reads them: each problem the structurer found, with its assertion (present,
 * absent, possible, historical, family, hypothetical), the words of its clause (the modifiers that decide the
 * specific code: stage, type, acuity, side, organism), and word-sense checks the structurer may miss: a
 * "problem" inside a medication, lab or vital name ("Tetanus toxoid", "glucose"), an ECG segment finding
 * ("ST depression in V4-V6") or a vaccine given is not a condition of the patient.
 */
import { assertionOf, type Assertion } from '../../../notes/structuring/context.ts';
import { problemWording } from '../../../notes/structuring/problems.ts';
import type { StructuredNote } from '../note-context.ts';
import { codingStems } from './coding-lexicon.ts';

export interface ConditionMention {
  start: number;
  end: number;
  text: string;
  /** The lexicon term the structurer matched (its expansion for abbreviations). */
  term: string;
  candidateCodes: ReadonlyArray<string>;
  /** Matched through a several-word synonym of the structuring lexicon, whose words need not be a title's. */
  viaSynonym: boolean;
  assertion: Assertion;
  /** Historical because of a cue in the sentence ("history of", "s/p"), not only because of its section. */
  explicitHistory: boolean;
  sectionType: string | null;
  /** The clause around the mention: from the previous boundary (or the previous condition) to the next. */
  clauseStart: number;
  clauseEnd: number;
  /** Coding stems of the mention, its term and its clause. */
  words: Set<string>;
  /** Coding stems of the mention and its term only. */
  ownWords: Set<string>;
}

type Problem = StructuredNote['problems'][number];

/** ECG and imaging segment wording: "ST depression", "ST-segment elevation", "PR depression", "T wave inversion". */
const ecgSegmentBefore = /\b(ST|PR|J|T)(-| )?(segment|point|wave)?[- ]?$/i;
const vaccineAfter = /^[\s-]*(toxoid|vaccin|immuni[sz]|booster|shot|immune globulin|ig\b|Tdap|DTaP)/i;
const vaccineBefore = /\b(vaccin\w*|immuni[sz]\w*|booster|shot)\s+(against|for)\s*$/i;
/** A list of vaccines ("Vaccines given today: MMR, varicella, hepatitis A"): each item is a vaccine, not a disease. */
const vaccineListBefore = /\b(vaccines?|vaccinations?|immuni[sz]ations?|shots)\b[^.;:\n]{0,30}:[^.;:\n]*$/i;

/**
 * Uncertainty and exclusion wording within the mention's clause, checked here as well as by the structurer's
 * ConText: the Official Guidelines' terms for uncertain diagnoses (II.H, IV.H) before the mention, and wording
 * after it that rules the diagnosis out ("unlikely", "ruled out") or leaves it open ("is suspected").
 */
const uncertainBefore = /\b(possible|possibly|probable|probably|suspected|suspect|suspicious for|suspicion (of|for)|likely|questionable|query|presumed|r\/o|rule out|to be ruled out|consistent with|compatible with|concern(ing)? for|worrisome for|versus|vs\.?|differential)\b[^,;]*$|\?\s*$/i;
const excludedAfter = /^[^,;]{0,15}\b(unlikely|ruled out|excluded|less likely|not likely)\b/i;
/** A test for the condition reported negative ("COVID-19 and influenza rapid tests negative"): the condition is excluded. */
const negativeTestAfter = /^(\s*(and|or|,|\/)\s*[\w-]+){0,3}\s*(rapid\s+)?(antigen\s+|PCR\s+)?(tests?|swabs?|screens?|panels?|PCR|antigen|cultures?|serology)\s*(were|was|is|are|:)?\s*(negative|neg|not detected)\b/i;
const uncertainAfter = /^[^,;]{0,15}(\b(is|was|are) (suspected|possible|probable|likely|questioned)\b|\b(cannot be|not) (excluded|ruled out)\b|\?)/i;

const negatedBefore = /\b(no|without|denies|denied|negative for|free of|absence of|not|never)\s+([\w-]+\s+){0,3}$/i;
/** "non-cystic fibrosis bronchiectasis", "non-diabetic": the prefix denies the condition that follows it. */
const nonPrefixBefore = /\bnon-?\s*$/i;
/** Risk, prevention and screening talk about a condition the patient does not have. */
const riskBefore = /\b(risk of|risk for|at risk|prevent\w*( of)?|prophylaxis (of|for|against)|screening for|to rule out|if)\s+([\w-]+\s+){0,2}$/i;
const riskAfter = /^\s*(risk|prophylaxis|prevention|screening|precautions)\b/i;

function clauseAssertion(text: string, mention: { start: number; end: number }, clause: { start: number; end: number }, assertion: Assertion): Assertion {
  const before = text.slice(clause.start, mention.start);
  const after = text.slice(mention.end, clause.end);
  if (assertion === 'possible' && excludedAfter.test(after)) return 'absent';
  if (assertion !== 'present' && assertion !== 'historical') return assertion;
  if (excludedAfter.test(after) || negativeTestAfter.test(after) || negatedBefore.test(before) || nonPrefixBefore.test(before)) return 'absent';
  if (riskBefore.test(before) || riskAfter.test(after)) return 'hypothetical';
  if (uncertainBefore.test(before) || uncertainAfter.test(after)) return 'possible';
  return assertion;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether a span is an ECG segment finding's wording ("ST depression", "T wave inversion"), not a condition. */
export function isEcgSegmentFinding(text: string, start: number, end: number): boolean {
  return ecgSegmentBefore.test(text.slice(Math.max(0, start - 20), start)) && /^(depression|elevation|inversion|changes?|abnormalit)/i.test(text.slice(start, end));
}

/** Word sense: false when the "problem" is a drug, lab, vital, ECG segment finding or vaccine name. */
function isConditionSense(text: string, problem: Problem, structured: StructuredNote): boolean {
  // A drug's indication ("lisinopril for hypertension") is the patient's condition, not part of the drug's name.
  const inIndication = (m: StructuredNote['medications'][number]) => m.indication !== null && problem.start >= m.indication.start && problem.end <= m.indication.end;
  if (structured.medications.some((m) => overlaps(m, problem) && !inIndication(m))) return false;
  if ([...structured.labs, ...structured.vitals].some((s) => overlaps(s, problem))) return false;
  const before = text.slice(Math.max(0, problem.start - 20), problem.start);
  const after = text.slice(problem.end, problem.end + 20);
  if (isEcgSegmentFinding(text, problem.start, problem.end)) return false;
  if (vaccineAfter.test(after) || vaccineBefore.test(before)) return false;
  // "LAD" in a note about the coronaries is the left anterior descending artery, not lymphadenopathy.
  if (/^LAD$/.test(problem.text.replace(/^(proximal|mid|distal)\s+/i, '')) && /\b(coronary|N?STEMI|myocardial|stent\w*|PCI|cath(eterization)?|angiogra\w*)\b/i.test(text)) return false;
  const lineStart = text.lastIndexOf('\n', problem.start - 1) + 1;
  if (vaccineListBefore.test(text.slice(Math.max(lineStart, problem.start - 200), problem.start))) return false;
  return true;
}

const hardBoundary = /[.;:\n]/;

function clauseOf(text: string, problems: ReadonlyArray<{ start: number; end: number }>, i: number): { start: number; end: number } {
  const problem = problems[i]!;
  let start = problem.start;
  while (start > 0 && !hardBoundary.test(text[start - 1]!)) start--;
  // A comma between this mention and an earlier condition ends that condition's clause.
  for (let j = i - 1; j >= 0; j--) {
    const previousEnd = problems[j]!.end;
    if (previousEnd <= start) break;
    if (previousEnd <= problem.start && text.slice(previousEnd, problem.start).includes(',')) {
      start = previousEnd;
      break;
    }
  }
  let end = problem.end;
  while (end < text.length && !hardBoundary.test(text[end]!)) end++;
  // A later condition after a comma ("…cerebral artery, with right hemiparesis") has its own modifiers.
  for (let j = i + 1; j < problems.length; j++) {
    const nextStart = problems[j]!.start;
    if (nextStart >= end) break;
    if (nextStart >= problem.end && text.slice(problem.end, nextStart).includes(',')) {
      end = nextStart;
      break;
    }
  }
  return { start, end };
}

/** Spans that name no condition of the patient: drugs, labs, vitals and problems read in another sense. */
export function nonConditionSpans(text: string, structured: StructuredNote): Array<{ start: number; end: number }> {
  const otherSense = structured.problems.filter((p) => !isConditionSense(text, p, structured));
  return [...structured.medications, ...structured.labs, ...structured.vitals, ...otherSense].map((s) => ({ start: s.start, end: s.end }));
}

/**
 * The clause as modifiers for code choice: words a negation governs are not the mention's ("COPD, no
 * exacerbation"), and "secondary to" states a cause, not secondary hypertension.
 */
function modifierText(clause: string): string {
  // A note's parentheses hold modifiers ("anterior wall STEMI (proximal LAD)"), not a title's nonessential words.
  return clause.replace(/[()]/g, ' ').replace(/\b(no|not|without|denies|negative for|free of|never)\b[^,;]*/gi, ' ').replace(/\bsecondary to\b/gi, 'due to');
}

/** A line or sentence reporting a test (imaging, ECG, labs): its findings are not diagnoses to code (Section III.B). */
const testReportLead = /(^|[\n.;]\s*)(CXR|chest x-?ray|x-?ray|XR|CT|CTA|MRI|MRA|US|ultrasound|echo(cardiogram)?|TTE|TEE|ECG|EKG|imaging|radiograph|labs?|UA|urinalysis|cultures?|doppler|duplex|scan|mammogram|biopsy|pathology|EEG|PFTs?)\b[^:.;\n]{0,40}(:|\bshow(s|ed)\b|\breveal(s|ed)\b|\bdemonstrat(es|ed)\b|\bwith\b)[^\n.;]*$/i;
const testSections = new Set(['results', 'imaging', 'vital_signs']);

/** Whether the text at `start` reports a test's finding (a results or imaging section, or a "CXR: …" sentence). */
export function inTestReport(text: string, start: number, sectionType: string | null = null): boolean {
  if (sectionType && testSections.has(sectionType)) return true;
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - 200);
  return testReportLead.test(text.slice(lineStart, start));
}

type MentionSource = Pick<ConditionMention, 'start' | 'end' | 'text' | 'term' | 'candidateCodes' | 'viaSynonym' | 'assertion' | 'explicitHistory' | 'sectionType'>;

/**
 * Index: Fracture, traumatic, <bone> → the bone's category, for fracture wordings the structuring lexicon has no term
 * for ("displaced fracture of the shaft of the right humerus": its titles put the side last, "humerus, right arm").
 * Site, side, displacement and 7th character then come from the clause's words like any mention's.
 */
const fractureBones: Readonly<Record<string, string>> = {
  humerus: 'S42', humeral: 'S42', clavicle: 'S42', clavicular: 'S42', scapula: 'S42', scapular: 'S42',
  radius: 'S52', radial: 'S52', ulna: 'S52', ulnar: 'S52', olecranon: 'S52',
  femur: 'S72', femoral: 'S72', tibia: 'S82', tibial: 'S82', fibula: 'S82', fibular: 'S82', patella: 'S82', malleolus: 'S82',
  calcaneus: 'S92', calcaneal: 'S92', talus: 'S92', metatarsal: 'S92', metacarpal: 'S62', scaphoid: 'S62',
};
const bonePattern = Object.keys(fractureBones).join('|');
const fracturePhrase = new RegExp(
  String.raw`\b(?:(?:non-?)?displaced\s+|comminuted\s+|transverse\s+|oblique\s+|spiral\s+|segmental\s+|closed\s+|open\s+)*fracture of (?:the )?(?:[\w-]+\s+){0,5}?(${bonePattern})\b|\b(?:(?:right|left)\s+)?(${bonePattern})\s+(?:shaft\s+|neck\s+|head\s+)?fracture\b`,
  'gi',
);
const historyBefore = /\b(history of|h\/o|(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|many) (years?|months?) ago|old|healed|prior|previous|remote)\b[^.;\n]*$/i;

function fractureSources(text: string, structured: StructuredNote): MentionSource[] {
  const sources: MentionSource[] = [];
  for (const hit of text.matchAll(fracturePhrase)) {
    const start = hit.index;
    const end = start + hit[0].length;
    if (structured.problems.some((p) => overlaps(p, { start, end })) || inTestReport(text, start)) continue;
    const sentenceStart = Math.max(text.lastIndexOf('.', start - 1), text.lastIndexOf('\n', start - 1)) + 1;
    const past = historyBefore.test(text.slice(sentenceStart, start));
    const bone = (hit[1] ?? hit[2])!.toLowerCase();
    sources.push({ start, end, text: hit[0], term: `fracture of ${bone}`, candidateCodes: [fractureBones[bone]!], viaSynonym: false, assertion: past ? 'historical' : 'present', explicitHistory: past, sectionType: null });
  }
  return sources;
}

export function conditionMentions(text: string, structured: StructuredNote, impliedWords: ReadonlySet<string> = new Set()): ConditionMention[] {
  // A problem's own words for coding are the lexicon's (`wording`), not the span the learned finder widened; a
  // problem only the finder found takes part only when its words name a code outright (it has a candidate code then).
  const fromProblems = structured.problems
    .filter((p) => p.source !== 'ner' || p.candidateCodes.length > 0)
    .map((p) => ({ ...p, ...problemWording(p) }))
    .filter((p) => isConditionSense(text, p, structured) && !inTestReport(text, p.start, p.sectionType))
    .map((p): MentionSource => ({
      start: p.start,
      end: p.end,
      text: p.text,
      term: p.term,
      candidateCodes: p.candidateCodes,
      // One-word synonyms and abbreviations are too ambiguous ("LAD" the artery, "swelling") to stand on their own.
      viaSynonym: p.matchedBy === 'synonym' && /[\p{L}\p{N}]\s+[\p{L}\p{N}]/u.test(p.text),
      assertion: assertionOf(p.context),
      explicitHistory: p.context.cues.some((c) => c.category === 'historical'),
      sectionType: p.sectionType,
    }));
  const problems = [...fromProblems, ...fractureSources(text, structured)].sort((a, b) => a.start - b.start);
  return problems.map((problem, i) => {
    const clause = clauseOf(text, problems, i);
    const ownWords = codingStems(`${modifierText(problem.text)} ${modifierText(problem.term)}`);
    const modifiers = modifierText(text.slice(clause.start, problem.start)) + ' ' + modifierText(problem.text) + ' ' + modifierText(text.slice(problem.end, clause.end));
    const words = new Set([...ownWords, ...codingStems(modifiers), ...impliedWords]);
    return {
      start: problem.start,
      end: problem.end,
      text: problem.text,
      term: problem.term,
      candidateCodes: problem.candidateCodes,
      viaSynonym: problem.viaSynonym,
      assertion: clauseAssertion(text, problem, clause, problem.assertion),
      explicitHistory: problem.explicitHistory,
      sectionType: problem.sectionType,
      clauseStart: clause.start,
      clauseEnd: clause.end,
      words,
      ownWords,
    };
  });
}
