/**
 * ICD-10-CM code suggestions for a note. Two modes:
 * - guideline mode (the default: API, worker pipeline, CLI, UI) codes as a certified coder does under the
 *   Official Guidelines: mention first, each proposed code grounded in an affirmed, current, patient-own mention
 *   whose words support it, the most specific code and the combination codes the Tabular asks for, status and
 *   history codes, sequenced with roles and the rule that produced each (src/coding/icd10/guidelines). The trained
 *   ranker only orders the proposals' alternatives and breaks ties; it never makes a code proposable;
 * - research mode (`codeAllMentions`, used only by `clinote eval codiesp`) ranks every mentioned condition as the
 *   CodiEsp annotators coded them (negated, past and relatives' conditions included).
 */
import type { CodeSet } from './code-set.ts';
import { excludes1Flags, instructionFlags, needsSpecificityFlag, specificChoices, type SuggestionFlag } from './flags.ts';
import { guidelineCodes, type CodeRole, type GuidelineCode } from './guidelines/guideline-coding.ts';
import { supportsCode } from './guidelines/grounding.ts';
import { assertionOf, type Assertion } from '../../notes/structuring/context.ts';
import { inTestReport, isEcgSegmentFinding, nonConditionSpans } from './guidelines/mentions.ts';
import type { CodingSetting } from './guidelines/setting.ts';
import { analyseText, type AnalysedText } from './phrases.ts';
import { structureNote } from '../../notes/structuring/structure.ts';
import { noteContext, type NoteContext, type StructuredNote } from './note-context.ts';
import { extractCandidates, type Candidate, type CandidateEvidence, type EvidenceSource } from './ranker/features.ts';
import { loadRanker, type Ranker } from './ranker/model.ts';
import { termMatcherFor } from './ranker/term-matcher.ts';
import { isContentStem } from './text.ts';
import { loadCodeSet } from './versions.ts';

export type { Assertion, CodeRole, CodingSetting };

export type SuggestionConfidence = 'high' | 'medium' | 'low';

export interface SuggestInput {
  text: string;
  /** The note's structure from `structureNote(text)`; structured here when absent. */
  structured?: StructuredNote;
}

export interface SuggestOptions {
  /** How many suggestions to return (default 20). */
  top?: number;
  /** Code-set version (default: the active one). */
  version?: string;
  /** Ranker to use (default: the active one). */
  ranker?: Ranker;
  /** Care setting (default outpatient): decides whether uncertain diagnoses are coded (inpatient) or not. */
  setting?: CodingSetting;
  /**
   * Research mode: rank every condition the note mentions, whatever its context (negated, past, a relative's,
   * uncertain), as the CodiEsp annotators coded. Used only by `clinote eval codiesp`; the guidelines are off.
   */
  codeAllMentions?: boolean;
}

export interface EvidenceSpan {
  start: number;
  end: number;
  text: string;
  /** Where the span came from: a condition mention or the note's wording for a guideline code, else the ranker's source. */
  source: EvidenceSource | 'mention';
  /** How the note asserts the span: present, absent (negated), possible (uncertain), historical, family or hypothetical. */
  assertion: Assertion;
}

export interface Suggestion {
  code: string;
  title: string;
  billable: boolean;
  /**
   * The ranker's calibrated probability under the CodiEsp convention (every mention coded). It orders the
   * alternatives; it is not the confidence of a guideline-proposed code, which the guidelines reach by rule (see
   * `confidence`).
   */
  score: number;
  /**
   * How firmly the note supports the suggestion, from how it was reached (not a probability). high: proposed from an
   * affirmed mention (or explicit status wording) that states the code's title words; medium: proposed, but an
   * uncertain diagnosis coded as established (inpatient), title words the note does not write, or a synonym only;
   * low: not proposed, an alternative the ranker scored (research mode: proposed at the ranker's threshold is
   * medium, the rest low).
   */
  confidence: SuggestionConfidence;
  /** Why the confidence is what it is. */
  confidenceBasis: string;
  rank: number;
  /** Proposed to the coder: in guideline mode, reached by the guidelines from a grounded mention; in research mode, at or above the ranker's threshold. */
  proposed: boolean;
  /** principal (inpatient) / first-listed (outpatient) for the first proposed code; secondary, status, history or family for the others. */
  role: CodeRole;
  /** The rule that produced the code, e.g. "I12.9: hypertension with CKD, presumed causal, I.C.9.a.2". */
  rule: string;
  evidence: EvidenceSpan[];
  flags: SuggestionFlag[];
  codeSetVersion: string;
  rankerVersion: string;
}

const defaultTop = 20;
const maxEvidencePerCode = 5;
/** Below this ranker score a code the guidelines did not reach is not worth the coder's attention. */
const minimumAlternativeScore = 0.1;

function evidenceSpans(text: string, evidence: ReadonlyArray<CandidateEvidence>, assess: (start: number, end: number) => Assertion): EvidenceSpan[] {
  // Co-occurrence only says the code tends to appear near these words: shown only when nothing better exists.
  const direct = evidence.filter((e) => e.source !== 'cooccurrence');
  const bySpan = new Map<string, CandidateEvidence>();
  for (const e of direct.length > 0 ? direct : evidence) {
    const id = `${e.start}:${e.end}`;
    const seen = bySpan.get(id);
    if (!seen || e.strength > seen.strength) bySpan.set(id, e);
  }
  return [...bySpan.values()]
    .sort((a, b) => b.strength - a.strength || a.start - b.start)
    .slice(0, maxEvidencePerCode)
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ start: e.start, end: e.end, text: text.slice(e.start, e.end), source: e.source, assertion: assess(e.start, e.end) }));
}

function sentenceWords(analysed: AnalysedText, evidence: ReadonlyArray<{ start: number; end: number }>): Set<string> {
  const words = new Set<string>();
  for (const sentence of analysed.sentences) {
    if (!evidence.some((e) => e.start < sentence.end && sentence.start < e.end)) continue;
    for (let i = sentence.firstToken; i < sentence.endToken; i++) {
      const stem = analysed.tokens[i]!.stem;
      if (isContentStem(stem)) words.add(stem);
    }
  }
  return words;
}

interface Draft {
  code: string;
  score: number;
  confidence: SuggestionConfidence;
  confidenceBasis: string;
  proposed: boolean;
  role: CodeRole;
  rule: string;
  evidence: EvidenceSpan[];
  flags: SuggestionFlag[];
}

/** The context of a span's head word (its last word): a learned phrase may carry its own trigger ("history of X"). */
function assessor(text: string, context: NoteContext): (start: number, end: number) => Assertion {
  return (start, end) => {
    const head = text.slice(start, end).search(/[\p{L}\p{N}]+$/u);
    const c = context.contextAt(head > 0 ? start + head : start, end);
    return assertionOf({ negated: Boolean(c.negated), family: Boolean(c.family), hypothetical: Boolean(c.hypothetical), uncertain: Boolean(c.uncertain), historical: Boolean(c.historical) });
  };
}

/** Guideline codes as suggestions, then the ranker's other grounded candidates as unproposed alternatives. */
function guidelineDrafts(
  codeSet: CodeSet,
  text: string,
  structured: StructuredNote,
  context: NoteContext,
  candidates: ReadonlyArray<Candidate>,
  score: ReadonlyMap<string, number>,
  setting: CodingSetting,
  top: number,
): Draft[] {
  const spansOf = (c: Candidate) => c.evidence.filter((e) => e.source !== 'cooccurrence');
  const codes = guidelineCodes({
    text,
    structured,
    setting,
    codeSet,
    candidates: candidates.map((c) => ({ code: c.code, spans: spansOf(c) })),
    rankScore: (code) => score.get(code) ?? 0,
    contextAt: (start, end) => context.contextAt(start, end),
  });
  // A rule-made code the ranker did not score takes the best score of the codes it was derived from.
  const scoreOf = (g: GuidelineCode) => Math.max(0, ...g.basis.map((c) => score.get(codeSet.record(c)?.code ?? c) ?? 0));
  const drafts: Draft[] = codes.map((g) => ({
    code: g.code,
    score: scoreOf(g),
    confidence: g.confidence,
    confidenceBasis: g.confidenceBasis,
    proposed: true,
    role: g.role,
    rule: g.rule,
    evidence: g.evidence
      .sort((a, b) => a.start - b.start)
      .map((e) => ({ start: e.start, end: e.end, text: text.slice(e.start, e.end), source: 'mention' as const, assertion: e.assertion })),
    flags: guidelineFlags(g),
  }));
  const assess = assessor(text, context);
  // Codes a guideline code replaced (I10 under I12.9, E11.9 under E11.22) are not offered again.
  const taken = new Set([...drafts.map((d) => d.code), ...codes.flatMap((g) => g.basis)]);
  const otherSense = nonConditionSpans(text, structured);
  const alternatives = candidates
    .filter((c) => !taken.has(c.code) && codeSet.has(c.code))
    .map((c) => ({ c, s: score.get(c.code) ?? 0 }))
    .sort((a, b) => b.s - a.s);
  for (const { c, s } of alternatives) {
    if (drafts.length >= top) break;
    // Alternatives are the ranker's plausible codes (not external causes, not history codes the guidelines did not
    // reach), each with affirmed or uncertain evidence whose words support the code and name a condition.
    if (s < minimumAlternativeScore || /^[V-Y]|^Z8[0-7]/.test(c.code)) continue;
    const spans = evidenceSpans(text, spansOf(c), assess).filter(
      (e) =>
        (e.assertion === 'present' || e.assertion === 'possible') &&
        !otherSense.some((o) => o.start < e.end && e.start < o.end) &&
        !inTestReport(text, e.start) &&
        !isEcgSegmentFinding(text, e.start, e.end) &&
        supportsCode(codeSet, c.code, e.text),
    );
    if (spans.length === 0) continue;
    const uncertain = spans.every((e) => e.assertion === 'possible');
    drafts.push({
      code: codeSet.record(c.code)!.code,
      score: s,
      confidence: 'low',
      confidenceBasis: uncertain ? `uncertain diagnosis, not coded in the ${setting} setting` : 'not reached by the guidelines; an alternative the ranker scored',
      proposed: false,
      role: 'secondary',
      rule: uncertain
        ? `${c.code}: uncertain diagnosis, not coded in the ${setting} setting; its symptoms are coded instead, IV.H`
        : `${c.code}: alternative ranked by the model, not reached by the guidelines from the note's mentions`,
      evidence: spans,
      flags: uncertain
        ? [{ kind: 'uncertainDiagnosis', message: 'Documented as uncertain (possible, probable, suspected, rule out): not coded in outpatient and ED settings; code the symptoms unless confirmed (Section IV.H).' }]
        : [],
    });
  }
  return drafts.slice(0, top);
}

function guidelineFlags(g: GuidelineCode): SuggestionFlag[] {
  const condition = g.basis[1] ?? g.basis[0]!;
  if (g.role === 'family') return [{ kind: 'familyHistory', message: g.rule, conditionCode: condition }];
  if (g.role === 'history' && /^Z8[5-7]/.test(g.code)) return [{ kind: 'personalHistory', message: g.rule, conditionCode: condition }];
  if (g.evidence.some((e) => e.assertion === 'possible')) return [{ kind: 'uncertainDiagnosis', message: 'Documented as uncertain (possible, probable, suspected): coded as established because the setting is inpatient (Section II.H).' }];
  return [];
}

/** Research mode: every candidate ranked by the model, proposed at or above its threshold. */
function researchDrafts(text: string, candidates: ReadonlyArray<Candidate>, score: ReadonlyMap<string, number>, threshold: number, context: NoteContext, top: number): Draft[] {
  const assess = assessor(text, context);
  return [...candidates]
    .sort((a, b) => score.get(b.code)! - score.get(a.code)! || (a.code < b.code ? -1 : 1))
    .slice(0, top)
    .map((c, i) => ({
      code: c.code,
      score: score.get(c.code)!,
      confidence: score.get(c.code)! >= threshold ? 'medium' : 'low',
      confidenceBasis: "research mode: the ranker's score against its threshold, no guideline check",
      proposed: score.get(c.code)! >= threshold,
      role: i === 0 ? 'principal' : 'secondary',
      rule: `${c.code}: ranked by the model under the CodiEsp convention (research mode: every mention coded)`,
      evidence: evidenceSpans(text, c.evidence, assess),
      flags: [],
    }));
}

export function suggestCodes(input: SuggestInput, options: SuggestOptions = {}): Suggestion[] {
  const codeSet = loadCodeSet(options.version);
  const ranker = options.ranker ?? loadRanker();
  const analysed = analyseText(input.text);
  const sources = {
    codeSet,
    mentionLexicon: ranker.mentionLexicon,
    cooccurrenceLexicon: ranker.cooccurrenceLexicon,
    termMatcher: termMatcherFor(codeSet),
    priors: ranker.priors,
  };
  const top = options.top ?? defaultTop;
  const structured = input.structured ?? structureNote(input.text);
  const context = noteContext(input.text, structured);
  const candidates = extractCandidates(analysed, sources, context).filter((c) => codeSet.has(c.code));
  const score = new Map(candidates.map((c) => [codeSet.record(c.code)!.code, ranker.score(c)]));
  const drafts = options.codeAllMentions
    ? researchDrafts(input.text, candidates, score, ranker.threshold, context, top)
    : guidelineDrafts(codeSet, input.text, structured, context, candidates, score, options.setting ?? 'outpatient', top);

  // Conflicts and instructions concern the codes a coder would keep: the proposed ones.
  const proposedCodes = drafts.filter((d) => d.proposed).map((d) => d.code);
  const conflicts = excludes1Flags(codeSet, proposedCodes);
  const prior = (code: string) => ranker.priors.codes.get(code) ?? 0;
  return drafts.map((item, index): Suggestion => {
    const record = codeSet.record(item.code)!;
    const flags = [...item.flags];
    if (!record.billable) {
      const choices = specificChoices(codeSet, record.code, sentenceWords(analysed, item.evidence), prior);
      if (choices.length > 0) flags.push(needsSpecificityFlag(record, choices));
    }
    // A "Code first: …, if applicable" note none of whose codes is listed ("associated influenza" on J18.9 with no
    // influenza documented) asks nothing of the coder (I.A.13: such etiology notes apply only when the condition is present).
    const instructions = instructionFlags(codeSet, item.code, proposedCodes).filter(
      (f) => !(f.kind === 'codeFirst' && f.satisfiedBy.length === 0 && /\bif applicable\b/i.test(f.note)),
    );
    flags.push(...(conflicts.get(item.code) ?? []), ...instructions);
    return {
      code: record.code,
      title: record.title,
      billable: record.billable,
      score: Number(item.score.toFixed(4)),
      confidence: item.confidence,
      confidenceBasis: item.confidenceBasis,
      rank: index + 1,
      proposed: item.proposed,
      role: item.role,
      rule: item.rule,
      evidence: item.evidence,
      flags,
      codeSetVersion: codeSet.version,
      rankerVersion: ranker.version,
    };
  });
}
