/**
 * Guideline coding of a note, mention first, as a certified coder works (ICD-10-CM Official Guidelines for
 * Coding and Reporting FY2021):
 * 1. each condition mention the structurer found, with its assertion: affirmed current mentions are coded;
 *    negated and hypothetical ones are not; a relative's gives a family-history code (Z80–Z84) and a past one a
 *    personal-history code (Z85–Z87) where the classification names one; an uncertain diagnosis is coded as
 *    established in an inpatient setting (Section II.H) and not at all in outpatient and ED settings, where its
 *    symptoms are coded instead (Section IV.H);
 * 2. the most specific code the mention's words support (see specificity.ts);
 * 3. the combination codes the Tabular and guidelines require: diabetes "with" its complications (I.A.15,
 *    I.C.4.a), hypertension with heart failure or CKD (I.C.9.a.1–3), sepsis with severe sepsis or shock
 *    (I.C.1.d), an old MI (I.C.9.e.4), weeks of gestation (I.C.15.b);
 * 4. symptoms integral to a confirmed diagnosis dropped (I.B.5);
 * 5. status codes from the whole note (status-codes.ts);
 * 6. sequencing: principal (inpatient) or first-listed (outpatient) first, then the other conditions, then status,
 *    history and family codes.
 * The ranker's scores only order and break ties; they never make a code proposable.
 */
import { codeReferences, inRange as inCodeRange } from '../code-ranges.ts';
import type { CodeSet } from '../code-set.ts';
import { historyCodeFor } from '../history-codes.ts';
import type { StructuredNote } from '../note-context.ts';
import { adverseEffectClasses, codingStem, codingStems, indexEntries } from './coding-lexicon.ts';
import { tokenize } from '../text.ts';
import type { Assertion } from '../../../notes/structuring/context.ts';
import { conditionMentions, type ConditionMention } from './mentions.ts';
import type { CodingSetting } from './setting.ts';
import { codeTerms, mostSpecificCode } from './specificity.ts';
import {
  deviceStatus,
  gestationCode,
  gestationWeeks,
  immunizationGiven,
  longTermDrugUse,
  tobaccoStatus,
  trimesterWords,
  type SpanContext,
  type StatusFinding,
} from './status-codes.ts';

export type CodeRole = 'principal' | 'secondary' | 'status' | 'history' | 'family';

/**
 * How firmly the note supports a guideline-proposed code, from how it was reached (not a probability):
 * - high: an affirmed mention (or, for a status code, explicit wording such as the medication list) states the
 *   code's title words, those a coder assumes by convention aside;
 * - medium: proposed, but the coder should look: an uncertain diagnosis coded as established (inpatient, II.H),
 *   title words the note does not write, or a synonym of the structuring lexicon that shares no title word.
 */
export type GuidelineConfidence = 'high' | 'medium';

export interface GuidelineEvidence {
  start: number;
  end: number;
  assertion: Assertion;
}

export interface GuidelineCode {
  code: string;
  role: CodeRole;
  /** The rule that produced the code, e.g. "I12.9: hypertension with CKD, presumed causal, I.C.9.a.2". */
  rule: string;
  evidence: GuidelineEvidence[];
  /** Codes the ranker may have scored for the same mention (the code's own first). */
  basis: string[];
  confidence: GuidelineConfidence;
  /** Why the confidence is what it is, in the coder's words. */
  confidenceBasis: string;
}

export interface GuidelineInput {
  text: string;
  structured: StructuredNote;
  setting: CodingSetting;
  codeSet: CodeSet;
  /** Ranker candidates with their direct evidence spans: codes the clause may state in full, and tie-breaks. */
  candidates: ReadonlyArray<{ code: string; spans: ReadonlyArray<{ start: number; end: number }> }>;
  rankScore: (code: string) => number;
  contextAt: (start: number, end: number) => SpanContext;
}

interface Coded {
  code: string;
  kind: 'condition' | 'status' | 'history' | 'family';
  rule: string;
  evidence: GuidelineEvidence[];
  basis: string[];
  mention?: ConditionMention;
  /** Title words of the code the mention states (see specificity.ts): the more, the more specific. */
  matched?: number;
  /** Title words of the code the note does not write (conventions aside). */
  unstated?: number;
  /** Reached through a structuring-lexicon synonym that shares no word with the code's title. */
  viaSynonymOnly?: boolean;
  /** Where the code's first support sits: the sequencing key among conditions. */
  position: number;
}

const category = (code: string) => code.slice(0, 3);
const inRange = (code: string, first: string, last: string) => category(code) >= first && category(code) <= last;
const titleOf = (codeSet: CodeSet, code: string) => codeSet.record(code)?.title ?? code;

function historyCategoryKind(code: string): 'history' | 'family' | undefined {
  if (inRange(code, 'Z80', 'Z84')) return 'family';
  if (inRange(code, 'Z85', 'Z87')) return 'history';
  return undefined;
}

/** Codes a coder would not report from a note's mentions: external causes (optional by default) and encounter headers. */
function reportable(code: string): boolean {
  return !inRange(code, 'V00', 'Y99');
}

/**
 * Conditions that end (treated cancers, clots, infarcts, infections, injuries, pregnancy complications): documented
 * as past, they give a personal-history code. Chronic conditions (diabetes, hypertension, COPD, …) documented as
 * history are still present and keep their own code.
 */
const resolvingRanges: ReadonlyArray<[string, string]> = [
  ['A00', 'B99'], ['C00', 'D49'], ['G45', 'G46'], ['I21', 'I22'], ['I26', 'I26'], ['I60', 'I64'], ['I80', 'I82'],
  ['J09', 'J18'], ['K25', 'K28'], ['K35', 'K37'], ['N10', 'N10'], ['N20', 'N23'], ['N39', 'N39'], ['O00', 'O9A'],
  ['S00', 'T88'],
];
const resolves = (code: string) => resolvingRanges.some(([first, last]) => inRange(code, first, last));

/**
 * The billable family-history code for a condition: the classification's "conditions classifiable to" target,
 * or, when that is a header, its child whose title shares most words with the condition's title, category and
 * block ("Z82.49 … ischemic heart disease" for an MI), else its "other" child.
 */
export function familyHistoryCode(codeSet: CodeSet, code: string): string | undefined {
  const target = historyCodeFor(codeSet, code, 'family');
  if (!target) return undefined;
  if (target.record.billable) return target.record.code;
  const conditionWords = codingStems([titleOf(codeSet, code), ...codeSet.ancestors(code).map((a) => a.title), codeSet.block(code)?.title ?? ''].join(' '));
  const headerWords = codingStems(target.record.title);
  const overlap = (title: string) => [...codingStems(title)].filter((w) => !headerWords.has(w) && conditionWords.has(w)).length;
  const children = codeSet.billableDescendants(target.record.code);
  const best = children.reduce<{ code: string; overlap: number } | undefined>((a, r) => {
    const o = overlap(r.title) + (/\bother\b/i.test(r.title) ? 0.5 : 0);
    return !a || o > a.overlap ? { code: r.code, overlap: o } : a;
  }, undefined);
  return best?.code;
}

/**
 * A primary malignancy excised or eradicated, with treatment completed and no evidence of disease, is coded as
 * personal history (Z85.-), not as a current cancer (I.C.2.d); one still treated (adjuvant chemotherapy, hormone
 * therapy) is current. Lymphomas and leukemias have remission codes of their own and are left to their mention.
 */
const cancerResolved = /\b(no evidence of (recurren\w*|disease|residual|malignan\w*|metasta\w*)|NED|completed (all )?(treatment|therapy|chemo\w*|radiation|adjuvant)|completed \d+ years? of|off all (cancer )?(therapy|treatment)|(cancer|disease)[- ]free)\b/i;
const cancerTreated = /\b(currently|now|still|continues?|remains?)\s+(on|receiving|undergoing)\b[^.;\n]{0,30}\b(chemo\w*|radiation|radiotherapy|tamoxifen|letrozole|anastrozole|exemestane|immunotherapy|hormon\w* therapy|endocrine therapy|adjuvant)|\b(on|receiving|undergoing) (adjuvant|active|palliative|maintenance)\b|\bcycle \d+|\b(recurrence|metasta\w*) (found|confirmed|seen|noted|present)\b/i;
const cancerHistoryOnly = (code: string, text: string) => inRange(code, 'C00', 'C80') && cancerResolved.test(text) && !cancerTreated.test(text);

/** The Index entry a mention's words reach: all the entry's words in the clause, one of them the mention's own. */
function indexEntryFor(mention: ConditionMention): (typeof indexEntries)[number] | undefined {
  return indexEntries.find((e) => {
    const words = [...codingStems(e.words)];
    return words.every((w) => mention.words.has(w)) && words.some((w) => mention.ownWords.has(w));
  });
}

/**
 * An ulcer of a lower-limb site is a skin ulcer, not a peptic one (Index: Ulcer, lower limb (non-pressure) → L97.-,
 * by site, side and depth); a pressure ulcer (L89) and a stomach or duodenal one keep their own terms.
 */
const lowerLimbSite = /\b(thigh|knee|calf|leg|ankle|heel|midfoot|foot|feet|toe|toes|hallux|plantar|malleol\w*|shin)\b/i;
const notSkinUlcer = /\b(pressure|decubitus|bed ?sores?|stage [1-4]|peptic|gastric|duodenal|stomach|esophag\w*|mouth|oral|corneal|venous stasis|varicose)\b/i;
function skinUlcerLeads(input: GuidelineInput, mention: ConditionMention): { leads: string[]; implied: Set<string> } | undefined {
  if (!mention.ownWords.has([...codingStems('ulcer')][0]!)) return undefined;
  const clause = input.text.slice(mention.clauseStart, mention.clauseEnd).replace(/\bno\b[^,;.]*/gi, ' ');
  if (!lowerLimbSite.test(clause) || notSkinUlcer.test(clause)) return undefined;
  return { leads: ['L97'], implied: codingStems('chronic') };
}

/**
 * A condition given as the reason for a past replacement, excision or transplant ("mechanical aortic valve
 * replacement 6 years ago for aortic stenosis") was removed with the organ or valve: the status code (Z95.2, Z96.-,
 * Z94.-) or a personal-history code carries it, not the condition's code.
 */
const correctedBy = /\b(replace\w*|resect\w*|excis\w*|\w+ectomy|remov\w*|transplant\w*|AVR|MVR|TAVR|TAVI)\b[^.;:]{0,60}\b(for|due to|because of)\s+([\w-]+\s+){0,3}$/i;
const pastProcedure = /\b(\d+ (years?|months?|weeks?) ago|in (19|20)\d\d|s\/p|status post|history of|prior|previous|remote|underwent|had)\b/i;
function correctedByPastProcedure(text: string, mention: ConditionMention): boolean {
  const before = text.slice(mention.clauseStart, mention.start);
  return correctedBy.test(before) && pastProcedure.test(text.slice(mention.clauseStart, mention.clauseEnd));
}

/**
 * A new MI within four weeks of a first one is a subsequent MI (I22.-: anterior STEMI I22.0, inferior I22.1, NSTEMI
 * I22.2, other sites I22.8), coded with the first MI's I21 code (I.C.9.e.2).
 */
const subsequentCue = /\b(subsequent|recurrent|repeat|new|second|re-?infarction)\s+([\w-]+\s+){0,2}$/i;
function subsequentMiCode(code: string): string {
  if (/^I21\.0/.test(code)) return 'I22.0';
  if (/^I21\.1/.test(code)) return 'I22.1';
  if (code === 'I21.4') return 'I22.2';
  if (/^I21\.(2|A)/.test(code)) return 'I22.8';
  return 'I22.9';
}

const jointWords = /\b(joints?|knees?|hips?|shoulders?|elbows?|wrists?|ankles?|hands?|fingers?|thumbs?|toes?|feet|foot|spine|vertebra\w*|jaw|temporomandibular|sacroiliac|acromioclavicular|articular|intra-?articular)\b/i;

function codeMention(input: GuidelineInput, mention: ConditionMention, otherMi: boolean): Coded | undefined {
  const { codeSet } = input;
  const uncertainInpatient = mention.assertion === 'possible' && input.setting === 'inpatient';
  if (mention.assertion === 'absent' || mention.assertion === 'hypothetical') return undefined;
  if (mention.assertion === 'possible' && !uncertainInpatient) return undefined;
  const others = input.candidates
    .filter((c) => c.spans.some((s) => s.start >= mention.clauseStart && s.end <= mention.clauseEnd))
    .map((c) => c.code);
  const lexiconLead = mention.viaSynonym ? mention.candidateCodes.find((c) => codeSet.record(c)?.billable && !/^R/.test(c)) : undefined;
  const entry = indexEntryFor(mention);
  const skinUlcer = skinUlcerLeads(input, mention);
  const words = skinUlcer ? new Set([...mention.words, ...skinUlcer.implied]) : mention.words;
  // A several-word synonym the structuring lexicon maps to a diagnosis ("right-sided weakness" → G81.91) need not share a
  // title word; symptom synonyms are too loose for that ("swelling", "poor intake").
  const fit =
    (entry && codeSet.record(entry.code)?.billable ? { code: entry.code, fit: codingStems(entry.words).size, matched: codingStems(entry.words).size, missing: 0, namesMention: true } : undefined) ??
    mostSpecificCode(codeSet, { leads: skinUlcer?.leads ?? mention.candidateCodes, others, words, ownWords: mention.ownWords, rank: input.rankScore }) ??
    (lexiconLead ? { code: codeSet.record(lexiconLead)!.code, fit: 0, matched: 0, missing: 0, namesMention: true } : undefined);
  if (!fit || !reportable(fit.code)) return undefined;
  // Word sense: an effusion or fistula is a joint's (M25.-) only when the clause names a joint ("purulent effusion
  // behind the tympanic membrane", "AV fistula" are not).
  if (fit.code.startsWith('M25') && !jointWords.test(input.text.slice(mention.clauseStart, mention.clauseEnd))) return undefined;
  let code = fit.code;
  const subsequent = otherMi && category(code) === 'I21' && subsequentCue.test(input.text.slice(mention.clauseStart, mention.start));
  if (subsequent) code = subsequentMiCode(code);
  // An Index entry's evidence runs from its first word in the clause to the mention ("Clostridioides difficile colitis").
  const entryStems = entry ? codingStems(entry.words) : new Set<string>();
  const clauseTokens = entry ? tokenize(input.text.slice(mention.clauseStart, mention.clauseEnd)) : [];
  const entryStart = clauseTokens.find((t) => entryStems.has(codingStem(t.text, t.stem)));
  const evidenceStart = entryStart ? Math.min(mention.start, mention.clauseStart + entryStart.start) : mention.start;
  const evidence = [{ start: evidenceStart, end: mention.end, assertion: mention.assertion }];
  const base = { evidence, mention, position: mention.start, basis: [code, ...mention.candidateCodes], matched: fit.matched - fit.missing, unstated: fit.missing, viaSynonymOnly: fit.matched === 0 };
  const title = titleOf(codeSet, code);
  if (mention.assertion === 'family') {
    const target = familyHistoryCode(codeSet, code);
    if (!target) return undefined;
    return { ...base, code: target, kind: 'family', rule: `${target}: a relative's ${mention.text} (${code}) coded as family history, I.C.21.c.4` };
  }
  const corrected = correctedByPastProcedure(input.text, mention) && !(inRange(code, 'C00', 'C96') && cancerTreated.test(input.text));
  if (corrected) {
    const target = historyCodeFor(codeSet, code, 'personal');
    if (resolves(code) && target?.specific && target.record.billable) {
      return { ...base, code: target.record.code, kind: 'history', rule: `${target.record.code}: ${mention.text} (${code}) removed by a past procedure, coded as personal history, I.C.21.c.4` };
    }
    return undefined;
  }
  if (mention.assertion === 'historical' || cancerHistoryOnly(code, input.text)) {
    // An MI more than four weeks old is an old MI (I25.2), not a personal-history Z code (I.C.9.e.4).
    if (['I21', 'I22', 'I25'].includes(category(code)) && /infarct/i.test(title)) {
      return { ...base, code: 'I25.2', kind: 'history', rule: 'I25.2: myocardial infarction documented in the past (older than 4 weeks), old MI, I.C.9.e.4' };
    }
    if (resolves(code)) {
      const target = historyCodeFor(codeSet, code, 'personal');
      if (target?.specific && target.record.billable) {
        return { ...base, code: target.record.code, kind: 'history', rule: `${target.record.code}: past ${mention.text} (${code}), no longer present, coded as personal history, I.C.21.c.4` };
      }
      // A past condition that has ended and has no history code of its own is not coded.
      return undefined;
    }
    // A chronic condition documented as history ("h/o HTN", listed under past history) is still the patient's.
  }
  const rule = uncertainInpatient
    ? `${code}: ${mention.text}, uncertain diagnosis coded as established in an inpatient setting, II.H`
    : subsequent
      ? `${code}: ${mention.text} documented as a subsequent MI within 4 weeks of a first, coded with the first MI's I21 code, I.C.9.e.2`
      : entry
        ? `${code}: ${mention.text} documented, Index: ${entry.entry}`
        : `${code}: ${mention.text} documented, most specific code its words support (${title})`;
  return { ...base, code, kind: 'condition', rule };
}

/** One code per condition: a category reached by two mentions of the same condition keeps its most specific code. */
function mergeSameCondition(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const kept: Coded[] = [];
  for (const item of coded) {
    const existing = kept.find((k) => k.code === item.code);
    if (existing) {
      existing.evidence.push(...item.evidence);
      existing.position = Math.min(existing.position, item.position);
      continue;
    }
    const sibling = kept.find(
      (k) =>
        k.kind === 'condition' &&
        item.kind === 'condition' &&
        category(k.code) === category(item.code) &&
        k.mention &&
        item.mention &&
        [...k.mention.ownWords].some((w) => item.mention!.ownWords.has(w)),
    );
    if (sibling) {
      const specificity = (c: Coded) => (c.matched ?? 0) - (/unspecified|without complications/i.test(titleOf(codeSet, c.code)) ? 0.5 : 0);
      if (specificity(item) > specificity(sibling)) {
        sibling.code = item.code;
        sibling.rule = item.rule;
        sibling.matched = item.matched;
        sibling.unstated = item.unstated;
        sibling.viaSynonymOnly = item.viaSynonymOnly;
      }
      sibling.evidence.push(...item.evidence);
      sibling.position = Math.min(sibling.position, item.position);
      continue;
    }
    kept.push(item);
  }
  return kept;
}

/**
 * A combination code names both conditions (I.B.9): a condition mention inside the clause of another coded condition,
 * all of whose words that code's title already states ("acute ischemic stroke due to thrombosis of the left middle
 * cerebral artery": the thrombosis is in I63.312), is not coded again, unless the combination code asks for it
 * ("use additional code", "code also").
 */
function dropCoveredByCombination(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const conditions = coded.filter((c) => c.kind === 'condition' && c.mention);
  const dropped = new Set<Coded>();
  for (const part of conditions) {
    const own = part.mention!.ownWords;
    if (own.size === 0) continue;
    const whole = conditions.find(
      (c) =>
        c !== part &&
        !dropped.has(c) &&
        c.code !== part.code &&
        // A symptom code, or one that asks for another condition first (severe sepsis), combines nothing.
        !/^R/.test(c.code) &&
        codeSet.notes(c.code, ['codeFirst']).length === 0 &&
        part.mention!.start >= c.mention!.clauseStart &&
        part.mention!.end <= c.mention!.clauseEnd &&
        codeTerms(codeSet, c.code).some((term) => [...own].every((w) => term.has(w))) &&
        !codeSet.notes(c.code, ['useAdditionalCode', 'codeAlso']).some((n) => n.text.includes(category(part.code))),
    );
    if (!whole) continue;
    dropped.add(part);
    whole.evidence.push(...part.evidence);
  }
  return coded.filter((c) => !dropped.has(c));
}

const diabetesCategories = ['E08', 'E09', 'E10', 'E11', 'E13'];

/**
 * Diabetes due to an underlying condition is E08 and drug- or chemical-induced diabetes E09, with the same
 * complication axis as E11 (Index: Diabetes, due to underlying condition → E08; due to drug or chemical → E09);
 * E08 asks for the condition first, which the "code first" sequencing does.
 */
const diabetesDrug = String.raw`(?:steroids?|glucocorticoids?|corticosteroids?|prednisone|dexamethasone|tacrolimus|cyclosporine|antipsychotics?|olanzapine|clozapine|thiazides?|drugs?|medications?|chemicals?|immune checkpoint inhibitors?)`;
const drugInducedDiabetes = new RegExp(String.raw`\b${diabetesDrug}[- ](?:induced|related)\s+(?:diabetes|DM)|\b(?:diabetes|DM)\b(?:\s+mellitus)?\s+(?:due to|secondary to|induced by|caused by|from)\s+(?:\w+\s+){0,2}${diabetesDrug}\b`, 'i');
const diabetesDueToCondition = /\b(diabetes|DM)\b(\s+mellitus)?\s+(due to|secondary to|caused by|from)\s+(?!(type|poor|uncontrolled)\b)\w+|\b(pancreatogenic|cystic fibrosis[- ]related|CF[- ]related)\s+(diabetes|DM)\b/i;
function diabetesByEtiology(codeSet: CodeSet, text: string, item: Coded): void {
  const mention = item.mention;
  if (!mention || !['E10', 'E11', 'E13'].includes(category(item.code))) return;
  const around = text.slice(Math.max(mention.clauseStart, mention.start - 40), mention.clauseEnd);
  const type = drugInducedDiabetes.test(around) ? 'E09' : diabetesDueToCondition.test(around) ? 'E08' : undefined;
  if (!type) return;
  const code = codeSet.record(`${type}${item.code.slice(3)}`)?.billable ? `${type}${item.code.slice(3)}` : `${type}.9`;
  item.code = code;
  item.basis = [code, ...item.basis];
  item.rule = `${code}: diabetes ${type === 'E08' ? 'due to an underlying condition, coded after the condition (Index: Diabetes, due to underlying condition → E08)' : 'induced by a drug or chemical (Index: Diabetes, due to drug or chemical → E09)'}`;
}

/** Diabetes complications the Index lists under "Diabetes, with" (I.A.15: "with" presumes the link). */
const diabetesComplications: ReadonlyArray<{ matches: (code: string) => boolean; suffix: (words: ReadonlySet<string>) => string; keep: boolean; what: string }> = [
  { matches: (c) => category(c) === 'N18', suffix: () => '.22', keep: true, what: 'chronic kidney disease' },
  { matches: (c) => ['G60', 'G62', 'G63', 'G57', 'G58'].includes(category(c)), suffix: (w) => (w.has('peripheral') || w.has('polyneuropathy') ? '.42' : '.40'), keep: false, what: 'neuropathy' },
  { matches: (c) => c.startsWith('R73.9') || c === 'R73.09', suffix: () => '.65', keep: false, what: 'hyperglycemia' },
  { matches: (c) => c === 'E16.2' || c === 'E16.1', suffix: () => '.649', keep: false, what: 'hypoglycemia' },
  { matches: (c) => c === 'K31.84', suffix: () => '.43', keep: true, what: 'gastroparesis' },
  { matches: (c) => c === 'I73.9', suffix: () => '.51', keep: false, what: 'peripheral angiopathy' },
  { matches: (c) => category(c) === 'L97', suffix: () => '.621', keep: true, what: 'foot ulcer' },
];

function applyCombinations(input: GuidelineInput, coded: Coded[]): Coded[] {
  const { codeSet, text } = input;
  let result = [...coded];
  const conditions = () => result.filter((c) => c.kind === 'condition');
  const drop = (item: Coded) => (result = result.filter((c) => c !== item));
  const add = (item: Coded) => {
    const existing = result.find((c) => c.code === item.code);
    if (existing) existing.evidence.push(...item.evidence.filter((e) => !existing.evidence.some((x) => x.start === e.start)));
    else result.push(item);
  };

  // Diabetes with its complications (I.A.15, I.C.4.a): the type's combination code replaces the complication-free one.
  for (const diabetes of conditions().filter((c) => diabetesCategories.includes(category(c.code)))) {
    const type = category(diabetes.code);
    const combos: Coded[] = [];
    for (const complication of conditions()) {
      const link = diabetesComplications.find((d) => d.matches(complication.code));
      if (!link) continue;
      const code = `${type}${link.suffix(complication.mention?.words ?? new Set())}`;
      if (!codeSet.record(code)?.billable) continue;
      combos.push({
        ...diabetes,
        code,
        evidence: [...diabetes.evidence, ...complication.evidence],
        basis: [code, diabetes.code, complication.code],
        rule: `${code}: diabetes with ${link.what}, linked by the Index's "with" convention, I.A.15 and I.C.4.a`,
      });
      if (!link.keep) drop(complication);
    }
    if (/\b(uncontrolled|poorly controlled|out of control|inadequately controlled)\b/i.test(text.slice(diabetes.mention?.clauseStart ?? 0, diabetes.mention?.clauseEnd ?? 0)) && codeSet.record(`${type}.65`)) {
      combos.push({ ...diabetes, code: `${type}.65`, basis: [`${type}.65`, diabetes.code], rule: `${type}.65: diabetes documented as poorly controlled or uncontrolled, Index: Diabetes, poorly controlled → with hyperglycemia` });
    }
    if (combos.length > 0 && /without complications|with unspecified complications/i.test(titleOf(codeSet, diabetes.code))) drop(diabetes);
    for (const combo of combos) add(combo);
  }

  // Hypertension with heart failure and/or CKD: presumed causal (I.C.9.a.1–3). A hypertensive heart or kidney
  // disease code reached from a mention is settled the same way, so one code of I10–I13 remains.
  const hypertensive = conditions().filter((c) => inRange(c.code, 'I10', 'I13'));
  if (hypertensive.length > 0) {
    const ckd = conditions().find((c) => category(c.code) === 'N18');
    const failure = conditions().find((c) => category(c.code) === 'I50');
    const stated = (prefix: string) => hypertensive.some((c) => c.code.startsWith(prefix));
    const lateCkd = ckd && ['N18.5', 'N18.6'].includes(ckd.code);
    const heart = Boolean(failure) || stated('I11.0') || stated('I13.0') || stated('I13.2');
    const kidney = Boolean(ckd) || stated('I12') || stated('I13');
    let code: string;
    let rule: string;
    if (heart && kidney) {
      code = lateCkd ? 'I13.2' : 'I13.0';
      rule = `${code}: hypertension with heart failure and CKD${lateCkd ? ' stage 5 or ESRD' : ''}, presumed causal, I.C.9.a.3`;
    } else if (kidney) {
      code = lateCkd ? 'I12.0' : 'I12.9';
      rule = `${code}: hypertension with CKD${lateCkd ? ' stage 5 or ESRD' : ''}, presumed causal, I.C.9.a.2`;
    } else if (heart) {
      code = 'I11.0';
      rule = 'I11.0: hypertension with heart failure, presumed causal, I.C.9.a.1';
    } else {
      code = hypertensive.find((c) => c.code !== 'I10')?.code ?? 'I10';
      rule = hypertensive.find((c) => c.code === code)!.rule;
    }
    const first = hypertensive.reduce((a, b) => (a.position <= b.position ? a : b));
    for (const c of hypertensive) drop(c);
    const evidence = [...hypertensive.flatMap((c) => c.evidence), ...(code === first.code || code === 'I10' ? [] : [...(ckd?.evidence ?? []), ...(failure?.evidence ?? [])])];
    add({ ...first, code, rule, evidence, basis: [code, ...hypertensive.map((c) => c.code)] });
  }

  // COPD with a lower respiratory infection (Index: Disease, lung, obstructive, with lower respiratory infection): J44.0,
  // with the infection coded as well.
  const copd = conditions().find((c) => c.code === 'J44.9' || c.code === 'J44.1');
  const infection = conditions().find((c) => inRange(c.code, 'J09', 'J18') || inRange(c.code, 'J20', 'J22') || inRange(c.code, 'A15', 'A16'));
  if (copd && infection && codeSet.record('J44.0')) {
    if (copd.code === 'J44.9') drop(copd);
    add({ ...copd, code: 'J44.0', basis: ['J44.0', copd.code], evidence: [...copd.evidence, ...infection.evidence], rule: `J44.0: COPD with a lower respiratory infection (${infection.code}), linked by the Index's "with", coded with the infection` });
  }

  // Bronchiectasis with a lower respiratory infection is J47.0 (Index: Bronchiectasis, with, lower respiratory
  // infection), with the infection coded as well.
  const bronchiectasis = conditions().find((c) => c.code === 'J47.9' || c.code === 'J47.1');
  if (bronchiectasis && infection && codeSet.record('J47.0')) {
    drop(bronchiectasis);
    add({ ...bronchiectasis, code: 'J47.0', basis: ['J47.0', bronchiectasis.code], evidence: [...bronchiectasis.evidence, ...infection.evidence], rule: `J47.0: bronchiectasis with a lower respiratory infection (${infection.code}), linked by the Index's "with", coded with the infection` });
  }

  // Influenza with the virus identified (type A or B, a subtype, or a positive test) is J10.-, not J11.- "virus not
  // identified" (I.C.10.c); the manifestation axis (pneumonia, other respiratory, gastrointestinal …) is the same.
  for (const flu of conditions().filter((c) => category(c.code) === 'J11')) {
    const identified = /\b(influenza|flu)\s*(type\s*)?[AB]\b|\bH\d+N\d+\b|\b(influenza|flu)\b[^.;\n]{0,30}\b(positive|detected)\b|\b(positive|detected)\b[^.;\n]{0,20}\b(influenza|flu)\b/i;
    const code = `J10${flu.code.slice(3)}`;
    if (!codeSet.record(code)?.billable) continue;
    const said = flu.evidence.some((e) => identified.test(text.slice(Math.max(0, e.start - 40), e.end + 40)));
    if (!said) continue;
    drop(flu);
    add({ ...flu, code, basis: [code, flu.code], rule: `${code}: influenza with the virus identified (type, subtype or a positive test), I.C.10.c` });
  }

  // A fracture in a patient with osteoporosis from trauma that would not break a healthy bone is M80.0- (age-related
  // osteoporosis with current pathological fracture), not the injury code, and M81 is then excluded (I.C.13.c).
  const osteoporosis = conditions().find((c) => category(c.code) === 'M81');
  const highEnergy = /\b(motor vehicle|MVC|MVA|high[- ]energy|crush|fall from (a )?(height|ladder|roof)|struck by|pedestrian)\b/i.test(text);
  if (osteoporosis && osteoporosis.code === 'M81.0' && !highEnergy) {
    const sites: Record<string, string> = { S42: '2', S52: '3', S62: '4', S72: '5', S82: '6', S92: '7' };
    for (const fracture of conditions().filter((c) => /^S/.test(c.code) && /fracture/i.test(titleOf(codeSet, c.code)))) {
      const seventh = fracture.code.length === 8 ? fracture.code[7]! : 'A';
      const vertebra = /^S(22\.0|32\.0)/.test(fracture.code);
      const site = sites[category(fracture.code)];
      if (!vertebra && !site) continue;
      const words = fracture.mention?.words ?? new Set<string>();
      const side = [...codingStems('right')].some((w) => words.has(w)) ? '1' : [...codingStems('left')].some((w) => words.has(w)) ? '2' : '9';
      const code = vertebra ? `M80.08X${seventh}` : `M80.0${site}${side}${seventh}`;
      if (!codeSet.record(code)?.billable) continue;
      drop(fracture);
      drop(osteoporosis);
      add({ ...fracture, code, basis: [code, fracture.code, osteoporosis.code], evidence: [...fracture.evidence, ...osteoporosis.evidence], rule: `${code}: fracture in age-related osteoporosis from trauma that would not break a healthy bone, pathological fracture, I.C.13.c` });
    }
  }

  // Dementia in Alzheimer's disease (Index: Disease, Alzheimer's → G30.- [F02.8-]): the Alzheimer's code, by onset,
  // with F02.80 (F02.81 with behavioral disturbance) in place of the unspecified dementia code; G30 asks for F02.8-.
  for (const dementia of conditions().filter((c) => /^F03\.9/.test(c.code))) {
    const clause = dementia.mention ? text.slice(dementia.mention.clauseStart, dementia.mention.clauseEnd) : '';
    const named = /\b(late[- ]onset |early[- ]onset )?alzheimer'?s?\b( disease)?/i.exec(clause);
    if (!named) continue;
    const namedAt = dementia.mention!.clauseStart + named.index;
    const alzheimerEvidence = [{ start: namedAt, end: namedAt + named[0].length, assertion: dementia.evidence[0]?.assertion ?? ('present' as const) }];
    const alzheimer = /\b(early[- ]onset)\b/i.test(clause) ? 'G30.0' : /\b(late[- ]onset)\b/i.test(clause) ? 'G30.1' : 'G30.9';
    const behavior = /\b(behavio(u)?ral disturbance|agitation|aggress\w*|combative|wandering)\b/i;
    const manifestation = behavior.test(text) && !/\bno (behavio(u)?ral disturbance|agitation)\b/i.test(text) ? 'F02.81' : 'F02.80';
    drop(dementia);
    for (const c of conditions()) if (category(c.code) === 'G30') drop(c);
    add({ ...dementia, code: alzheimer, evidence: alzheimerEvidence, basis: [alzheimer, dementia.code], rule: `${alzheimer}: Alzheimer's disease with dementia, Index: Disease, Alzheimer's → G30.- [F02.8-]` });
    add({ ...dementia, code: manifestation, position: dementia.position + 1, basis: [manifestation, dementia.code], rule: `${manifestation}: dementia in Alzheimer's disease, the manifestation G30 asks for (use additional code), I.A.13` });
  }

  // Index: Anemia, blood loss, acute → D62 (acute posthemorrhagic anemia); the chronic form is D50.0.
  for (const anemia of conditions().filter((c) => c.code === 'D64.9' || c.code === 'D50.0' || c.code === 'D50.9')) {
    const clause = anemia.mention ? text.slice(anemia.mention.clauseStart, anemia.mention.clauseEnd) : '';
    if (!/\bacute\b[^.;,\n]{0,20}\b(blood loss|posthemorrhagic|hemorrhagic)\b[^.;,\n]{0,10}\banemi|\bacute\b[^.;,\n]{0,10}\banemia\b[^.;,\n]{0,20}\b(due to|from|secondary to) (blood loss|bleeding|hemorrhage)/i.test(clause)) continue;
    drop(anemia);
    add({ ...anemia, code: 'D62', basis: ['D62', anemia.code], rule: 'D62: acute blood loss anemia, Index: Anemia, blood loss, acute → D62' });
  }

  // Sequelae of cerebrovascular disease (I.C.9.d): deficits that remain from a past stroke are coded to I69.-, by the
  // stroke's type and the deficit (hemiplegia I69.x5-, monoplegia I69.x3-/x4-, aphasia I69.x20 …), in place of the
  // deficit's own code and the stroke's; Z86.73 is only for a past stroke without residual deficits.
  const pastStroke = /\b(residual|sequelae?|late effects?|old|prior|previous|remote|history of|h\/o)\b[^.;\n]{0,40}\b(stroke|CVA|infarct\w*)|\b(stroke|CVA|cerebral infarct\w*)\b[^.;\n]{0,30}\b(\d+ (years?|months?) ago|in (19|20)\d\d)|\b(after|following|since) (a|an|the|his|her) [^.;\n]{0,25}\b(stroke|CVA|cerebral infarct\w*)/i;
  const acuteStroke = /\bacute\b[^.;\n]{0,25}\b(stroke|CVA|infarct\w*)|\b(stroke alert|code stroke|new (stroke|infarct\w*))\b/i;
  if (pastStroke.test(text) && !acuteStroke.test(text)) {
    const strokeType = /\bsubarachnoid\b/i.test(text) ? '0' : /\b(intracerebral|intraparenchymal|hemorrhagic stroke|ICH)\b/i.test(text) ? '1' : '3';
    const deficitSuffix = (code: string): string | undefined => {
      const side = (d: string) => (d === '0' ? '9' : d);
      if (/^G81\.9\d$/.test(code)) return `5${side(code[5]!)}`;
      if (/^G83\.2\d$/.test(code)) return `3${side(code[5]!)}`;
      if (/^G83\.1\d$/.test(code)) return `4${side(code[5]!)}`;
      return ({ 'R47.01': '20', 'R47.02': '21', 'R47.1': '22', 'R29.810': '92', 'R27.0': '93' } as Record<string, string>)[code] ?? (/^R13\.1/.test(code) ? '91' : undefined);
    };
    const sequelae: Coded[] = [];
    for (const deficit of conditions()) {
      const suffix = deficitSuffix(deficit.code);
      const code = suffix && `I69.${strokeType}${suffix}`;
      if (!code || !codeSet.record(code)?.billable) continue;
      sequelae.push({ ...deficit, code, basis: [code, deficit.code], rule: `${code}: ${deficit.mention?.text ?? deficit.code} remaining after a past stroke, sequela of cerebrovascular disease, I.C.9.d` });
      // Dysphagia keeps its own code as well (I69.391: "use additional code to identify the type of dysphagia").
      if (!/^R13\.1/.test(deficit.code)) drop(deficit);
    }
    if (sequelae.length > 0) {
      for (const c of result) if (inRange(c.code, 'I60', 'I63') || c.code === 'Z86.73' || /^I69\.\d(0|9)$/.test(c.code)) drop(c);
      for (const item of sequelae) add(item);
    }
  }

  // Sepsis (I.C.1.d): severe sepsis adds R65.20, septic shock R65.21; either needs the systemic infection coded first.
  const shock = /\bseptic shock\b/i.exec(text);
  const severe = /\bsevere sepsis\b/i.exec(text);
  const sepsisContext = (hit: RegExpExecArray) => {
    const ctx = input.contextAt(hit.index, hit.index + hit[0].length);
    return !ctx.negated && !ctx.hypothetical && !ctx.family && !(ctx.uncertain && input.setting !== 'inpatient');
  };
  const organ = shock && sepsisContext(shock) ? { hit: shock, code: 'R65.21', what: 'septic shock' } : severe && sepsisContext(severe) ? { hit: severe, code: 'R65.20', what: 'severe sepsis' } : undefined;
  const systemic = () => conditions().find((c) => inRange(c.code, 'A40', 'A41') || c.code === 'A02.1' || c.code === 'A32.7' || c.code === 'B37.7');
  if (organ) {
    if (!systemic()) {
      add({ code: 'A41.9', kind: 'condition', rule: `A41.9: ${organ.what} documented without an organism, sepsis coded first, I.C.1.d.1.a`, evidence: [{ start: organ.hit.index, end: organ.hit.index + organ.hit[0].length, assertion: 'present' }], basis: ['A41.9'], position: organ.hit.index });
    }
    for (const c of conditions()) if (['R65.20', 'R65.21', 'R65.10', 'R65.11', 'R57.9', 'R57.8'].includes(c.code)) drop(c);
    add({ code: organ.code, kind: 'condition', rule: `${organ.code}: ${organ.what}, after the systemic infection and the localized infection, I.C.1.d.4`, evidence: [{ start: organ.hit.index, end: organ.hit.index + organ.hit[0].length, assertion: 'present' }], basis: [organ.code], position: Number.MAX_SAFE_INTEGER });
  }
  if (systemic()) for (const c of conditions()) if (c.code === 'A41.9' && result.some((o) => o !== c && inRange(o.code, 'A40', 'A41'))) drop(c);
  return result;
}

/**
 * Body systems of the symptom blocks of chapter 18 and the diagnoses that explain them. A symptom is integral to a
 * confirmed diagnosis of its system (I.B.5, I.C.18.a) and is then not coded; symptoms of other systems are.
 */
const symptomSystems: ReadonlyArray<{ symptoms: [string, string]; explainedBy: (code: string) => boolean }> = [
  // Bleeding from the respiratory passages is not explained by a heart condition: epistaxis beside atrial fibrillation
  // is coded. Hemoptysis is routine in lung cancer, tuberculosis, pulmonary embolism and bronchiectasis.
  { symptoms: ['R04', 'R04'], explainedBy: (c) => inRange(c, 'J00', 'J99') || inRange(c, 'A15', 'A19') || inRange(c, 'C34', 'C34') || inRange(c, 'I26', 'I26') },
  // Heart rate, rhythm, murmur and blood pressure signs: heart conditions; thyrotoxicosis explains tachycardia.
  { symptoms: ['R00', 'R03'], explainedBy: (c) => /^I/.test(c) || inRange(c, 'E05', 'E05') },
  // Cough and breathing signs: respiratory conditions and the heart and vessel conditions that cause them (heart
  // failure, pulmonary embolism, pulmonary hypertension), not hypertension or an arrhythmia.
  { symptoms: ['R05', 'R06'], explainedBy: (c) => /^J/.test(c) || inRange(c, 'A15', 'A19') || inRange(c, 'U07', 'U07') || inRange(c, 'C34', 'C34') || respiratoryHeart(c) },
  // Chest pain: ischemic heart disease, pericarditis, aortic disease, pulmonary embolism and chest conditions.
  { symptoms: ['R07', 'R07'], explainedBy: (c) => /^J/.test(c) || inRange(c, 'I20', 'I26') || inRange(c, 'I30', 'I32') || inRange(c, 'I71', 'I71') || inRange(c, 'U07', 'U07') },
  { symptoms: ['R09', 'R09'], explainedBy: (c) => /^J/.test(c) || inRange(c, 'A15', 'A19') || inRange(c, 'U07', 'U07') || respiratoryHeart(c) },
  { symptoms: ['R10', 'R19'], explainedBy: (c) => /^K/.test(c) || inRange(c, 'A00', 'A09') || inRange(c, 'N10', 'N23') || inRange(c, 'O00', 'O08') || inRange(c, 'S06', 'S06') || inRange(c, 'E10', 'E13') && /\.1/.test(c) },
  { symptoms: ['R20', 'R23'], explainedBy: (c) => /^L/.test(c) || inRange(c, 'B00', 'B09') || inRange(c, 'T78', 'T78') },
  { symptoms: ['R25', 'R29'], explainedBy: (c) => /^[GM]/.test(c) || inRange(c, 'I60', 'I69') || /^S/.test(c) || inRange(c, 'F10', 'F19') },
  { symptoms: ['R30', 'R39'], explainedBy: (c) => /^N/.test(c) },
  { symptoms: ['R40', 'R46'], explainedBy: (c) => /^[FG]/.test(c) || inRange(c, 'I60', 'I69') || inRange(c, 'S00', 'S09') || inRange(c, 'T36', 'T65') },
  // Aphasia and dysarthria are coded with an acute stroke (deficits that need not occur); their sequelae are I69.-.
  { symptoms: ['R47', 'R49'], explainedBy: (c) => (/^G/.test(c) && !inRange(c, 'G81', 'G83')) || inRange(c, 'J37', 'J38') },
  { symptoms: ['R50', 'R50'], explainedBy: (c) => /^[AB]/.test(c) || inRange(c, 'J00', 'J22') || inRange(c, 'J69', 'J69') || inRange(c, 'N10', 'N12') || c === 'N39.0' || inRange(c, 'L00', 'L08') || inRange(c, 'K35', 'K37') || inRange(c, 'K57', 'K57') || inRange(c, 'K81', 'K81') || inRange(c, 'U07', 'U07') || inRange(c, 'G00', 'G04') || inRange(c, 'H65', 'H66') },
  { symptoms: ['R51', 'R51'], explainedBy: (c) => systemicInfection(c) || inRange(c, 'G43', 'G44') || inRange(c, 'I60', 'I62') || inRange(c, 'S00', 'S09') || inRange(c, 'I16', 'I16') || inRange(c, 'J01', 'J01') },
  { symptoms: ['R52', 'R52'], explainedBy: (c) => /^[MS]/.test(c) },
  // Limb weakness is the hemiparesis of a stroke.
  { symptoms: ['R53', 'R53'], explainedBy: (c) => inRange(c, 'D50', 'D64') || inRange(c, 'E03', 'E03') || /^C/.test(c) || inRange(c, 'U07', 'U07') || inRange(c, 'I60', 'I64') || inRange(c, 'G81', 'G83') },
  { symptoms: ['R55', 'R55'], explainedBy: (c) => inRange(c, 'I44', 'I49') || inRange(c, 'I95', 'I95') },
  { symptoms: ['R58', 'R58'], explainedBy: (c) => /^K/.test(c) || inRange(c, 'D50', 'D69') || inRange(c, 'I85', 'I85') || inRange(c, 'N92', 'N93') || /^O/.test(c) || c.startsWith('T45.5') },
  { symptoms: ['R57', 'R57'], explainedBy: (c) => inRange(c, 'A40', 'A41') || c.startsWith('R65.21') },
  { symptoms: ['R60', 'R60'], explainedBy: (c) => inRange(c, 'I50', 'I50') || c.startsWith('I11.0') || c.startsWith('I13') || inRange(c, 'N04', 'N04') || inRange(c, 'K70', 'K74') },
  // Weight loss and night sweats are routine in cancer, tuberculosis and thyrotoxicosis.
  { symptoms: ['R61', 'R61'], explainedBy: (c) => /^C/.test(c) || inRange(c, 'A15', 'A19') || inRange(c, 'E05', 'E05') },
  { symptoms: ['R63', 'R64'], explainedBy: (c) => /^C/.test(c) || inRange(c, 'A15', 'A19') || inRange(c, 'E05', 'E05') },
  { symptoms: ['R80', 'R82'], explainedBy: (c) => /^N/.test(c) || inRange(c, 'E08', 'E13') || inRange(c, 'I12', 'I13') },
];

/** Heart and vessel conditions whose signs include cough and breathlessness. */
const respiratoryHeart = (c: string) => inRange(c, 'I50', 'I50') || c.startsWith('I11.0') || c.startsWith('I13.0') || c.startsWith('I13.2') || inRange(c, 'I26', 'I27') || inRange(c, 'I21', 'I22');

/** Systemic infections (viral fevers, influenza, COVID-19) whose routine signs include headache and myalgia. */
const systemicInfection = (c: string) => inRange(c, 'A75', 'A99') || inRange(c, 'B25', 'B34') || inRange(c, 'J09', 'J11') || inRange(c, 'U07', 'U07');

/** Chapter 13 codes that name a symptom (joint pain, effusion, stiffness, limb pain, myalgia), explained by musculoskeletal diagnoses and injuries. */
const musculoskeletalSymptom = (code: string) => /^M25\.[4-7]|^M79\.[16]/.test(code);

/**
 * Codes for a condition stated without detail, dropped when the note also codes the condition in detail: a cancer's
 * "malignant neoplasm, unspecified" beside its site, "kidney failure, unspecified" beside CKD or AKI, "illness,
 * unspecified" beside anything, "infectious disease, unspecified" beside the named infection, hypertension beside a pregnancy hypertension code (O10–O16 include it).
 */
const vagueCodes: ReadonlyArray<{ code: (c: string) => boolean; coveredBy: (c: string) => boolean }> = [
  { code: (c) => c === 'C80.1' || c === 'C80.0', coveredBy: (c) => inRange(c, 'C00', 'C79') || inRange(c, 'C81', 'C96') },
  { code: (c) => c === 'N19', coveredBy: (c) => inRange(c, 'N17', 'N18') },
  { code: (c) => c === 'B99.9', coveredBy: (c) => inRange(c, 'A00', 'B97') },
  { code: (c) => c === 'R69' || c === 'R52', coveredBy: (c) => !/^[RZ]/.test(c) },
  { code: (c) => inRange(c, 'I10', 'I16'), coveredBy: (c) => inRange(c, 'O10', 'O16') },
];

/**
 * A condition code whose title says nothing another listed code of its chapter does not also say ("Esophagitis,
 * unspecified" beside "GERD with esophagitis", "Anemia, unspecified" beside "Anemia in CKD") is that code's
 * unspecified form and is dropped, unless the other code's "use additional code" or "code also" note asks for it.
 */
function dropSubsumed(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const conditions = coded.filter((c) => c.kind === 'condition');
  const words = new Map(conditions.map((c) => [c, codingStems(titleOf(codeSet, c.code).replace(/\bwithout\b[^,]*/gi, ' '))]));
  return coded.filter((c) => {
    if (c.kind !== 'condition') return true;
    const own = words.get(c)!;
    if (own.size === 0) return true;
    return !conditions.some((other) => {
      if (other === c || other.code[0] !== c.code[0] || category(other.code) === category(c.code) && other.code.length <= c.code.length) return false;
      const theirs = words.get(other)!;
      if (theirs.size <= own.size || ![...own].every((w) => theirs.has(w))) return false;
      const asked = codeSet.notes(other.code, ['useAdditionalCode', 'codeAlso']).some((n) => n.text.includes(category(c.code)));
      return !asked;
    });
  });
}

/**
 * A sibling whose title leaves unspecified what another listed code of its category states, and is otherwise the same
 * ("Nicotine dependence, unspecified, uncomplicated" beside "Nicotine dependence, cigarettes, uncomplicated";
 * "Unspecified asthma, uncomplicated" beside "Mild intermittent asthma, uncomplicated"), is not reported.
 */
function dropUnspecifiedSibling(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const conditions = coded.filter((c) => c.kind === 'condition');
  const segments = (code: string) => titleOf(codeSet, code).toLowerCase().split(/,\s*/);
  const statesWhatIsUnspecified = (vague: string, specific: string) => {
    const a = segments(vague);
    const b = segments(specific);
    if (a.length !== b.length) return false;
    let differs = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (!/\bunspecified\b/.test(a[i]!) || /\bunspecified\b/.test(b[i]!)) return false;
      differs = true;
    }
    return differs;
  };
  return coded.filter(
    (c) => c.kind !== 'condition' || !conditions.some((o) => o !== c && category(o.code) === category(c.code) && statesWhatIsUnspecified(c.code, o.code)),
  );
}

/**
 * A category's "with" and "without" codes are alternatives of one axis (N40.0 BPH without / N40.1 with lower urinary
 * tract symptoms): when the note supports the "with" code, its "without" sibling is not reported.
 */
function dropWithoutSibling(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const conditions = coded.filter((c) => c.kind === 'condition');
  return coded.filter((c) => {
    if (c.kind !== 'condition' || !/\bwithout\b/i.test(titleOf(codeSet, c.code))) return true;
    return !conditions.some((o) => o !== c && category(o.code) === category(c.code) && /\bwith\b/i.test(titleOf(codeSet, o.code)) && !/\bwithout\b/i.test(titleOf(codeSet, o.code)));
  });
}

/**
 * Excludes1 (I.A.12.a): two conditions whose codes exclude each other are never reported together; the note names
 * the code for the excluded condition, so the code whose note excludes the other ("Pneumonia, unspecified
 * organism" excluding aspiration pneumonia J69.0) gives way. Where both exclude each other, the code with fewer of
 * its title's words written (an unspecified one first) gives way. Status, history and family codes keep their own
 * rules (applyStatusExcludes).
 */
function dropExcludes1Conflicts(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const conditions = coded.filter((c) => c.kind === 'condition');
  const excludes = (a: Coded, b: Coded) =>
    codeSet.notes(a.code, ['excludes1']).some((n) => codeReferences(n.text).some((r) => inCodeRange(b.code, r)));
  const weaker = (a: Coded, b: Coded) => {
    const unspecified = (c: Coded) => (/unspecified/i.test(titleOf(codeSet, c.code)) ? 1 : 0);
    return unspecified(a) - unspecified(b) || (b.matched ?? 0) - (a.matched ?? 0);
  };
  const dropped = new Set<Coded>();
  for (const a of conditions) {
    for (const b of conditions) {
      if (a === b || dropped.has(a) || dropped.has(b) || a.code.startsWith(b.code) || b.code.startsWith(a.code)) continue;
      // A diagnosis excluding a symptom ("diarrhea NOS") keeps its place: the symptom gives way by I.B.5 instead.
      if (!excludes(a, b) || (/^R/.test(b.code) && !/^R/.test(a.code))) continue;
      if (excludes(b, a) && weaker(a, b) < 0) continue;
      dropped.add(a);
    }
  }
  return coded.filter((c) => !dropped.has(c));
}

function dropIntegralSymptoms(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const confirmed = coded.filter((c) => c.kind === 'condition' && !/^[RZ]/.test(c.code) && !musculoskeletalSymptom(c.code));
  return coded.filter((c) => {
    if (c.kind !== 'condition') return true;
    if (vagueCodes.some((v) => v.code(c.code) && confirmed.some((d) => d !== c && v.coveredBy(d.code)))) return false;
    // Myalgia (M79.1-) is routine in systemic viral infections as well (I.B.5).
    if (musculoskeletalSymptom(c.code)) return !confirmed.some((d) => /^[MS]/.test(d.code) || (/^M79\.1/.test(c.code) && systemicInfection(d.code)));
    // Bleeding signs are integral to a coded condition "with hemorrhage" or "with bleeding" (I.B.5): hematemesis and
    // melena beside a bleeding ulcer; vaginal bleeding (N93.-) beside a pregnancy code of early hemorrhage or abortion.
    if (/^K92\.[0-2]/.test(c.code) && confirmed.some((d) => d !== c && /^K/.test(d.code) && /hemorrhage|bleeding/i.test(titleOf(codeSet, d.code)))) return false;
    if (category(c.code) === 'N93' && confirmed.some((d) => inRange(d.code, 'O00', 'O08') || inRange(d.code, 'O20', 'O20') || inRange(d.code, 'O44', 'O46'))) return false;
    // Ear pain and discharge are integral to otitis (I.B.5).
    if (/^H92\.[01]/.test(c.code) && confirmed.some((d) => inRange(d.code, 'H60', 'H67'))) return false;
    if (!inRange(c.code, 'R00', 'R82')) return true;
    // Weight gain is the fluid of heart failure.
    if (c.code === 'R63.5' && coded.some((d) => /^I50|^I11\.0|^I13\.[02]/.test(d.code))) return false;
    // Hemorrhage NEC gives way to the bleeding of a named site (epistaxis, hemoptysis, hematuria).
    if (c.code === 'R58' && coded.some((d) => d.kind === 'condition' && (inRange(d.code, 'R04', 'R04') || inRange(d.code, 'R31', 'R31')))) return false;
    const system = symptomSystems.find((s) => inRange(c.code, s.symptoms[0], s.symptoms[1]));
    return !system || !confirmed.some((d) => system.explainedBy(d.code) || (/^O/.test(d.code) && pregnancyExplains(c.code)));
  });
}

/** Pregnancy conditions explain the symptoms of their own course: nausea and vomiting, headache, edema, proteinuria, urinary symptoms. */
const pregnancyExplains = (code: string) => inRange(code, 'R10', 'R19') || inRange(code, 'R30', 'R39') || ['R51', 'R60', 'R80', 'R81'].includes(category(code));

function statusCoded(codeSet: CodeSet, finding: StatusFinding, kind: Coded['kind']): Coded | undefined {
  if (!codeSet.record(finding.code)?.billable) return undefined;
  return { code: finding.code, kind, rule: finding.rule, evidence: [{ start: finding.start, end: finding.end, assertion: kind === 'history' ? 'historical' : 'present' }], basis: [finding.code], position: finding.start };
}

/** Excludes1 among the long-term drug codes: Z79.4 (insulin) excludes Z79.84 (oral hypoglycemics) in FY2021. */
function applyStatusExcludes(codeSet: CodeSet, coded: Coded[]): Coded[] {
  const statusCodes = coded.filter((c) => c.code.startsWith('Z79'));
  const excluded = new Set<string>();
  for (const c of statusCodes) {
    for (const note of codeSet.record(c.code)?.excludes1 ?? []) {
      for (const other of statusCodes) if (other !== c && note.includes(`(${other.code})`)) excluded.add(other.code);
    }
  }
  return coded.filter((c) => !excluded.has(c.code));
}

/**
 * Adverse effects of a drug taken as prescribed (I.C.19.e.5.a): the manifestation is coded first, then the drug's
 * T36–T50 code with 5th/6th character 5 (7th A, active treatment), in place of the "adverse effect NEC" codes
 * (T78.8-, T88.7-). Poisoning wording (overdose, wrong drug, not as prescribed) is left to the coder.
 */
const drugNames = adverseEffectClasses.flatMap((c) => c.drugs).sort((a, b) => b.length - a.length).map((d) => d.replace(/[-\s]/g, '[-\\s]'));
const drugPattern = `(${drugNames.join('|')})`;
const adverseWording = new RegExp(
  String.raw`\b(?:adverse (?:drug )?(?:effects?|reactions?)|side[- ]effects?|toxicity) (?:of|to|from) (?:[\w-]+ ){0,3}?${drugPattern}\b|\b${drugPattern}[- ](?:induced|related|associated)\b|\bdue to (?:the |his |her |an? )?${drugPattern}\b`,
  'gi',
);
const poisoningWording = /\b(overdose|overdosed|poisoning|intentional|suicid\w*|accidental\w*|took (too many|extra|more)|wrong (dose|drug|medication)|not as prescribed|underdos\w*)\b/i;
const pastWording = /\b(history of|h\/o|prior|previous|previously|years? ago|allerg\w*)\b[^.;\n]*$/i;
function adverseEffects(input: GuidelineInput): StatusFinding[] {
  const { text, codeSet } = input;
  const found: StatusFinding[] = [];
  for (const hit of text.matchAll(adverseWording)) {
    const drug = (hit[1] ?? hit[2] ?? hit[3])!.toLowerCase().replace(/\s+/g, ' ');
    const drugClass = adverseEffectClasses.find((c) => c.drugs.some((d) => d.replace(/-/g, ' ') === drug.replace(/-/g, ' ')));
    if (!drugClass) continue;
    const sentenceStart = Math.max(text.lastIndexOf('.', hit.index) + 1, text.lastIndexOf('\n', hit.index) + 1);
    const sentenceEnd = text.slice(hit.index).search(/[.\n]/);
    const sentence = text.slice(sentenceStart, sentenceEnd < 0 ? text.length : hit.index + sentenceEnd);
    const context = input.contextAt(hit.index, hit.index + hit[0].length);
    if (poisoningWording.test(sentence) || pastWording.test(text.slice(sentenceStart, hit.index)) || context.negated || context.hypothetical || context.family) continue;
    if (/\b(no|denies|without|negative for)\b[^.;,]{0,25}$/i.test(text.slice(sentenceStart, hit.index))) continue;
    const code = `${drugClass.code}A`;
    if (!codeSet.record(code)?.billable || found.some((f) => f.code === code)) continue;
    found.push({ code, start: hit.index, end: hit.index + hit[0].length, rule: `${code}: adverse effect of ${drugClass.className} taken as prescribed, after its manifestation, I.C.19.e.5.a` });
  }
  return found;
}

const reasonCue = /\b(admitted (for|with|due to)|presents? (with|for)|presenting with|chief complaint|reason for (visit|admission|encounter)|principal diagnosis|primary diagnosis|admission diagnosis|discharge diagnos[ie]s|final diagnos[ie]s|diagnos[ie]s)\b/i;
const assessmentSections = new Set(['assessment', 'assessment_and_plan', 'diagnoses']);

const isAdverseEffectCode = (code: string) => inRange(code, 'T36', 'T50') && /^T\d\d\.\w{2}5/.test(code);

/** Sequencing (Section II for inpatient, IV for outpatient) and roles. */
function sequence(input: GuidelineInput, coded: Coded[]): GuidelineCode[] {
  const { text, codeSet } = input;
  const lineOf = (position: number) => text.slice(text.lastIndexOf('\n', position - 1) + 1, position);
  const sentenceBefore = (position: number) => {
    const line = lineOf(position);
    const cut = Math.max(line.lastIndexOf('. '), line.lastIndexOf('; '));
    return cut >= 0 ? line.slice(cut + 2) : line;
  };
  const rankOf = (c: Coded): number[] => {
    if (c.kind !== 'condition') return [9, ['status', 'history', 'family'].indexOf(c.kind), c.position];
    // Pregnancy conditions come first (I.C.15.a.1), then sepsis present at the encounter (I.C.1.d.4).
    if (/^O/.test(c.code)) return [0, 0, c.position];
    if (inRange(c.code, 'A40', 'A41')) return [0, 1, c.position];
    if (c.code.startsWith('R65.2')) return [5, 0, c.position];
    const firstEvidence = Math.min(...c.evidence.map((e) => e.start));
    const reason = c.evidence.some((e) => reasonCue.test(sentenceBefore(e.start))) ? 0 : 1;
    const inAssessment = c.mention && c.mention.sectionType && assessmentSections.has(c.mention.sectionType) ? 0 : 1;
    const symptom = /^R/.test(c.code) ? 1 : 0;
    return [1 + reason, inAssessment + symptom, firstEvidence];
  };
  const ordered = [...coded].sort((a, b) => {
    const x = rankOf(a);
    const y = rankOf(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return a.code < b.code ? -1 : 1;
  });
  // The manifestation of an adverse effect comes before the drug's code (I.C.19.e.5.a).
  const adverseFirst = ordered.findIndex((c) => c.kind === 'condition' && !isAdverseEffectCode(c.code));
  if (ordered[0] && isAdverseEffectCode(ordered[0].code) && adverseFirst > 0) ordered.unshift(...ordered.splice(adverseFirst, 1));
  // "Code first" notes: a code whose note names another listed code follows it (I12.9 before N18.x, E11.22 before N18.x).
  for (let moves = 0, i = 0; i < ordered.length && moves < ordered.length; i++) {
    const item = ordered[i]!;
    const notes = codeSet.notes(item.code, ['codeFirst']).map((n) => n.text);
    const first = ordered.findIndex((o, j) => j > i && o.kind === 'condition' && notes.some((n) => n.includes(o.code.slice(0, 3))));
    if (first > i) {
      ordered.splice(i, 1);
      ordered.splice(first, 0, item);
      moves++;
      i--;
    }
  }
  return ordered.map((c, index) => ({
    code: c.code,
    role: c.kind === 'condition' ? (index === 0 ? 'principal' : 'secondary') : c.kind,
    rule: c.rule,
    evidence: c.evidence,
    basis: c.basis,
    ...confidenceOf(c),
  }));
}

function confidenceOf(c: Coded): { confidence: GuidelineConfidence; confidenceBasis: string } {
  if (c.evidence.some((e) => e.assertion === 'possible')) {
    return { confidence: 'medium', confidenceBasis: 'documented as uncertain; coded as established because the setting is inpatient (II.H)' };
  }
  if (c.viaSynonymOnly) return { confidence: 'medium', confidenceBasis: "reached through a lexicon synonym; the note writes none of the code's title words" };
  if ((c.unstated ?? 0) > 0) {
    const n = c.unstated!;
    return { confidence: 'medium', confidenceBasis: `${n} word${n > 1 ? 's' : ''} of the code's title ${n > 1 ? 'are' : 'is'} not written in the note` };
  }
  if (c.kind === 'condition' && c.mention) return { confidence: 'high', confidenceBasis: "an affirmed mention states the code's title words" };
  return { confidence: 'high', confidenceBasis: 'explicit wording in the note supports the rule that adds it' };
}

export function guidelineCodes(input: GuidelineInput): GuidelineCode[] {
  const { text, structured, codeSet } = input;
  const gestation = gestationWeeks(text);
  const pregnant = gestation !== undefined || /\b(pregnan\w*|gravid|G\d+P\d+|IUP|intrauterine pregnancy)\b/i.test(text);
  const implied = new Set<string>(gestation ? codingStems(`${trimesterWords(gestation.weeks)} pregnancy`) : []);
  // The patient's sex, for codes that name it (female breast, male breast).
  const sex = /\b(she|her|woman|female|mrs|ms|G\d+P\d+)\b|\b\d+\s*(y\/?o|yo|year[- ]old)\s*(F|female|woman)\b/i.test(text) ? 'female' : /\b(he|his|man|male|mr)\b|\b\d+\s*(y\/?o|yo|year[- ]old)\s*(M|male|man)\b/i.test(text) ? 'male' : undefined;
  if (sex) for (const w of codingStems(sex)) implied.add(w);
  const mentions = conditionMentions(text, structured, implied);
  // The diabetes type stated anywhere in the note applies to its complications stated elsewhere ("diabetic foot ulcer");
  // a note that states no type is type 2 (I.C.4.a.2: the default is E11.-).
  const diabetesType = /\b(type\s*(1|I)\b|DM\s*1|T1DM|IDDM)\b/i.test(text) && !/\b(type\s*(2|II)|DM\s*(2|II)|T2DM|NIDDM)\b/i.test(text) ? '1' : '2';
  for (const m of mentions) if (m.candidateCodes.some((c) => diabetesCategories.includes(category(c))) || m.ownWords.has('diabetes')) m.words.add(diabetesType);
  let coded: Coded[] = [];
  const miMentions = mentions.filter((m) => m.candidateCodes.some((c) => category(c) === 'I21') && m.assertion !== 'absent' && m.assertion !== 'family');
  for (const mention of mentions) {
    const item = codeMention(input, mention, miMentions.some((m) => m !== mention && !subsequentCue.test(text.slice(m.clauseStart, m.start))));
    if (item) coded.push(item);
  }
  for (const item of coded) diabetesByEtiology(codeSet, text, item);
  coded = mergeSameCondition(codeSet, coded);
  coded = dropCoveredByCombination(codeSet, coded);
  // "Personal history of malignant neoplasm, unspecified" beside the history of a named cancer is the same history.
  coded = coded.filter((c) => !(c.code === 'Z85.9' && coded.some((o) => o !== c && category(o.code) === 'Z85')));
  // A follow-up visit after completed cancer treatment with no recurrence is Z08, listed first, with the Z85.- history (I.C.21.c.8).
  const followUp = /\bfollow-?up\b[^.;\n]{0,40}\b(visit|exam\w*|care|clinic)\b|\bexam\w*\b[^.;\n]{0,20}\bafter (completed )?treatment\b/i.exec(text);
  if (followUp && input.setting !== 'inpatient' && coded.some((c) => category(c.code) === 'Z85') && !coded.some((c) => inRange(c.code, 'C00', 'C96'))) {
    coded.push({ code: 'Z08', kind: 'condition', rule: 'Z08: follow-up examination after completed treatment for a malignant neoplasm, with its Z85.- history, I.C.21.c.8', evidence: [{ start: followUp.index, end: followUp.index + followUp[0].length, assertion: 'present' }], basis: ['Z08'], position: followUp.index });
  }
  coded = applyCombinations(input, coded);
  const adverse = adverseEffects(input);
  if (adverse.length > 0) coded = coded.filter((c) => !(c.kind === 'condition' && /^T78\.[348]|^T88\.7/.test(c.code)));
  for (const finding of adverse) {
    const item = statusCoded(codeSet, finding, 'condition');
    if (item && !coded.some((c) => c.code === item.code)) coded.push(item);
  }
  coded = dropIntegralSymptoms(codeSet, dropExcludes1Conflicts(codeSet, dropWithoutSibling(codeSet, dropSubsumed(codeSet, coded))));
  const inpatient = input.setting === 'inpatient';
  const diabetic = coded.some((c) => diabetesCategories.includes(category(c.code)) || c.code.startsWith('O24'));
  for (const finding of longTermDrugUse(text, structured, inpatient || input.setting === 'ED')) {
    // Insulin is inherent to type 1 diabetes: Z79.4 is not added there (Coding Clinic 2Q 2017).
    if (finding.code === 'Z79.4' && coded.some((c) => category(c.code) === 'E10')) continue;
    // Antidiabetic drug use is reported with diabetes (I.C.4.a.3); an SGLT2 inhibitor for heart failure is not it.
    if ((finding.code === 'Z79.4' || finding.code === 'Z79.84') && !diabetic) continue;
    const item = statusCoded(codeSet, finding, 'status');
    if (item && !coded.some((c) => c.code === item.code)) coded.push(item);
  }
  for (const finding of [...tobaccoStatus(text), ...deviceStatus(text, input.contextAt, inpatient), ...immunizationGiven(text)]) {
    const kind = historyCategoryKind(finding.code) ?? (finding.code.startsWith('F17') || finding.code === 'Z23' ? 'condition' : 'status');
    const item = statusCoded(codeSet, finding, kind);
    if (item && !coded.some((c) => c.code === item.code)) coded.push(item);
  }
  if (gestation && pregnant) {
    const item = statusCoded(codeSet, { code: gestationCode(gestation.weeks), start: gestation.start, end: gestation.end, rule: `${gestationCode(gestation.weeks)}: ${gestation.weeks} weeks of gestation, with the pregnancy codes, I.C.15.b.3` }, 'status');
    if (item) coded.push(item);
  }
  // Weight gain in pregnancy is its course (excessive gain is O26.0-), never R63.5.
  if (pregnant) coded = coded.filter((c) => c.code !== 'R63.5');
  // Status blocks reached through a mention ("kidney transplant status", "tracheostomy status") are statuses too.
  for (const c of coded) {
    const kind = historyCategoryKind(c.code) ?? (/^Z79/.test(c.code) || inRange(c.code, 'Z89', 'Z99') ? 'status' : undefined);
    if (kind && c.kind === 'condition') c.kind = kind;
  }
  // After the tobacco wording is read: "nicotine dependence" (F17.200) beside "a pack of cigarettes a day" (F17.210).
  coded = applyStatusExcludes(codeSet, dropUnspecifiedSibling(codeSet, coded));
  return sequence(input, coded);
}
