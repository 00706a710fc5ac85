/**
 * ICD-10-CM code suggestions for a note: candidates from the learned lexicons, the code set's own terms and
 * the structured note, ranked by the trained model into calibrated scores, then checked the way a coder
 * would: negated, hypothetical and family mentions give no diagnosis code (a relative's condition gives a
 * family-history code), past conditions become personal-history codes where the classification names one,
 * uncertain diagnoses are flagged and not proposed, headers ask for specificity, and Excludes1 pairs and
 * code-first/use-additional instructions are pointed out. Context comes from note structuring (src/clinical).
 */
import type { CodeSet } from './codeSet.ts';
import { excludes1Flags, instructionFlags, needsSpecificityFlag, specificChoices, type SuggestionFlag } from './flags.ts';
import { historyCodeFor } from './historyCodes.ts';
import { analyseText, type AnalysedText } from './phrases.ts';
import { structureNote } from '../clinical/index.ts';
import { noteContext, problemSignals, type NoteContext, type StructuredNote } from './noteContext.ts';
import { extractCandidates, type CandidateEvidence, type EvidenceSource, type MentionContext } from './ranker/features.ts';
import { loadRanker, type Ranker } from './ranker/model.ts';
import { termMatcherFor } from './ranker/termMatcher.ts';
import { isContentStem } from './text.ts';
import { loadCodeSet } from './versions.ts';

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
  /**
   * Code every condition the note mentions, whatever its context (negated, past, a relative's, uncertain):
   * the clinical coding rules are off. This is how some research corpora (CodiEsp) were annotated; the
   * default applies the rules.
   */
  codeAllMentions?: boolean;
}

export interface EvidenceSpan {
  start: number;
  end: number;
  text: string;
  source: EvidenceSource;
}

export interface Suggestion {
  code: string;
  title: string;
  billable: boolean;
  /** Calibrated probability that the code belongs on the note. */
  score: number;
  rank: number;
  /** Score at or above the ranker's operating threshold and not an uncertain diagnosis. */
  proposed: boolean;
  evidence: EvidenceSpan[];
  flags: SuggestionFlag[];
  codeSetVersion: string;
  rankerVersion: string;
}

const defaultTop = 20;
const maxEvidencePerCode = 5;

function isExcluded(context: MentionContext): boolean {
  return Boolean(context.negated || context.hypothetical || context.family);
}

function evidenceSpans(text: string, evidence: ReadonlyArray<CandidateEvidence>): EvidenceSpan[] {
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
    .map((e) => ({ start: e.start, end: e.end, text: text.slice(e.start, e.end), source: e.source }));
}

interface Ranked {
  code: string;
  score: number;
  evidence: CandidateEvidence[];
  flags: SuggestionFlag[];
  uncertain: boolean;
}

/**
 * The clinical coding rules, applied best-scored first until `top` codes are kept (so context is assessed only
 * for the spans that matter): mentions that are negated, hypothetical or a relative's give no code (a
 * relative's becomes a family-history code where the classification maps it); a past condition becomes its
 * personal-history code where the classification names one specifically, otherwise the condition is kept
 * with a note (chronic conditions in a past history are usually still present); uncertain diagnoses are
 * marked. Codes reached twice keep the higher score.
 */
function applyClinicalRules(
  codeSet: CodeSet,
  text: string,
  scored: ReadonlyArray<Ranked>,
  context: NoteContext,
  top: number,
): Ranked[] {
  const result = new Map<string, Ranked>();
  const put = (item: Ranked) => {
    const existing = result.get(item.code);
    if (!existing) result.set(item.code, item);
    else {
      // Items arrive best first, so the kept flags name the best-scored condition behind a history code.
      existing.score = Math.max(existing.score, item.score);
      existing.evidence.push(...item.evidence);
      for (const flag of item.flags) if (!existing.flags.some((f) => f.kind === flag.kind)) existing.flags.push(flag);
      existing.uncertain &&= item.uncertain;
    }
  };
  // A learned phrase may carry its own trigger ("history of pulmonary embolism", "mother had breast cancer"),
  // which ConText would read as part of the name: the context is that of the phrase's last word, its head.
  const contextOf = (e: CandidateEvidence) => {
    if (e.context) return e.context;
    const head = text.slice(e.start, e.end).search(/[\p{L}\p{N}]+$/u);
    return context.contextAt(head > 0 ? e.start + head : e.start, e.end);
  };
  for (const item of [...scored].sort((a, b) => b.score - a.score)) {
    if (result.size >= top) break;
    // Context is judged on direct evidence; co-occurrence evidence counts only when there is nothing else.
    const direct = item.evidence.filter((e) => e.source !== 'cooccurrence');
    const judged = (direct.length > 0 ? direct : item.evidence).map((e) => ({ ...e, context: contextOf(e) }));
    const asserted = judged.filter((e) => !isExcluded(e.context));
    if (judged.length > 0 && asserted.length === 0) {
      const family = judged.filter((e) => e.context.family && !e.context.negated);
      const target = family.length > 0 ? historyCodeFor(codeSet, item.code, 'family') : undefined;
      if (target) {
        const message = `Family history of ${item.code}: coded as ${target.record.code} (${target.record.title}).`;
        put({ ...item, code: target.record.code, evidence: family, flags: [{ kind: 'familyHistory', message, conditionCode: item.code }] });
      }
      continue;
    }
    const flags = [...item.flags];
    if (asserted.length > 0 && asserted.every((e) => e.context.historical)) {
      const target = historyCodeFor(codeSet, item.code, 'personal');
      if (target?.specific) {
        const message = `Past ${item.code} documented as history: coded as ${target.record.code} (${target.record.title}).`;
        put({ ...item, code: target.record.code, evidence: asserted, flags: [{ kind: 'personalHistory', message, conditionCode: item.code }] });
        continue;
      }
      if (target) {
        const message = `Documented as past history: if ${item.code} has resolved and is no longer treated, code its history (${target.record.code}, ${target.record.title}) instead.`;
        flags.push({ kind: 'documentedAsHistory', message, historyCode: target.record.code });
      }
    }
    const uncertain = asserted.length > 0 && asserted.every((e) => e.context.uncertain);
    put({ ...item, evidence: asserted.length > 0 ? asserted : item.evidence, flags, uncertain });
  }
  return [...result.values()];
}

function sentenceWords(analysed: AnalysedText, evidence: ReadonlyArray<CandidateEvidence>): Set<string> {
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
  const context = options.codeAllMentions ? undefined : noteContext(input.text, structured);
  const candidates = extractCandidates(analysed, sources, context ?? problemSignals(structured));
  const scored = candidates
    .filter((c) => codeSet.has(c.code))
    .map((c): Ranked => ({ code: c.code, score: ranker.score(c), evidence: c.evidence, flags: [], uncertain: false }));
  const ranked = (context ? applyClinicalRules(codeSet, input.text, scored, context, top) : scored)
    .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
    .slice(0, top);

  // Conflicts and instructions concern the codes a coder would keep: the proposed ones.
  const proposed = (item: Ranked) => item.score >= ranker.threshold && !item.uncertain;
  const proposedCodes = ranked.filter(proposed).map((r) => r.code);
  const conflicts = excludes1Flags(codeSet, proposedCodes);
  const prior = (code: string) => ranker.priors.codes.get(code) ?? 0;
  return ranked.map((item, index): Suggestion => {
    const record = codeSet.record(item.code)!;
    const flags = [...item.flags];
    if (!record.billable) {
      const choices = specificChoices(codeSet, record.code, sentenceWords(analysed, item.evidence), prior);
      if (choices.length > 0) flags.push(needsSpecificityFlag(record, choices));
    }
    if (item.uncertain) {
      flags.push({
        kind: 'uncertainDiagnosis',
        message: 'Documented as uncertain (possible, probable, suspected, rule out): not coded as confirmed; code the symptoms unless confirmed.',
      });
    }
    flags.push(...(conflicts.get(item.code) ?? []), ...instructionFlags(codeSet, item.code, proposedCodes));
    return {
      code: record.code,
      title: record.title,
      billable: record.billable,
      score: Number(item.score.toFixed(4)),
      rank: index + 1,
      proposed: proposed(item),
      evidence: evidenceSpans(input.text, item.evidence),
      flags,
      codeSetVersion: codeSet.version,
      rankerVersion: ranker.version,
    };
  });
}
