/**
 * A coder's review of a note's or an encounter's suggestions: every proposed code needs an explicit decision
 * (nothing is pre-filled), the accepted, replaced and added codes become the final code set in the order sent
 * (the first is principal / first-listed), inpatient codes carry a POA indicator, and the claim edits run on
 * the result: blocking edits refuse the save, warnings refuse it until the coder overrides them with a reason.
 */
import type { CodeSet } from './icd10/code-set.ts';
import { dottedCode } from './icd10/release.ts';
import { validateClaim, type ClaimEdit, type ClaimEncounter, type ClaimPatient } from './claim-edits.ts';
import { isPoaExempt } from './poa.ts';
import type { CodeDecision, EditOverride, FinalCode, Poa } from './types.ts';

/** A coder's decision on one suggestion, or a code the engine missed. */
export type CoderDecision =
  | { action: 'accept'; code: string; poa?: Poa | undefined }
  | { action: 'reject'; code: string; reason: string }
  | { action: 'replace'; code: string; replacement: string; reason?: string | undefined; poa?: Poa | undefined }
  | { action: 'add'; code: string; reason?: string | undefined; poa?: Poa | undefined }
  | { action: 'leave'; code: string; reason?: string | undefined };

/** What a review needs to know about a suggestion. */
export interface ReviewableSuggestion {
  code: string;
  score: number;
  proposed: boolean;
  evidence: ReadonlyArray<{ noteId?: string | undefined }>;
}

/** Raised when decisions cannot be applied (unknown code, undecided proposed code, …). */
export class CodingReviewError extends Error {
  override readonly name = 'CodingReviewError';
}

/** Raised when the final code set fails claim edits: the blocking edits and the warnings not overridden. */
export class ClaimEditsError extends Error {
  override readonly name = 'ClaimEditsError';
  constructor(readonly edits: ClaimEdit[]) {
    const blocking = edits.filter((e) => e.severity === 'blocking').length;
    const warnings = edits.length - blocking;
    super(
      `The code set fails ${[blocking ? `${blocking} blocking edit${blocking === 1 ? '' : 's'} (fix the codes)` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'} (fix, or override with a reason)` : ''].filter(Boolean).join(' and ')}: ${edits.map((e) => e.message).join(' ')}`,
    );
  }
}

export interface ReviewContext {
  patient: ClaimPatient;
  encounter: ClaimEncounter;
  overrides?: readonly EditOverride[] | undefined;
}

export interface ReviewOutcome {
  finalCodes: FinalCode[];
  decisions: CodeDecision[];
  /** Every edit the final set raises (all warnings, each overridden). */
  edits: ClaimEdit[];
  /** The overrides that apply to this code set (stale ones, for edits no longer raised, are dropped). */
  overrides: EditOverride[];
}

const normalise = (code: string) => dottedCode(code.trim().toUpperCase().replace(/\./g, ''));

/**
 * Applies a coder's decisions to suggestions and returns the final code set, in the order of the decisions.
 * Codes must exist and be billable (claim edits say which child to choose otherwise); a code may appear once.
 */
export function applyCoderDecisions(
  suggestions: readonly ReviewableSuggestion[],
  decisions: readonly CoderDecision[],
  codeSet: CodeSet,
  context: ReviewContext,
): ReviewOutcome {
  const inpatient = context.encounter.type === 'inpatient';
  const suggested = new Map(suggestions.map((s) => [normalise(s.code), s]));
  const finalCodes: FinalCode[] = [];
  const records: CodeDecision[] = [];
  const seenDecision = new Set<string>();

  const known = (raw: string, role: string) => {
    const record = codeSet.record(normalise(raw));
    if (!record) throw new CodingReviewError(`${role} ${raw} is not an ICD-10-CM ${codeSet.version} code.`);
    return record;
  };
  const poaFor = (code: string, poa: Poa | undefined): Poa | null => {
    if (!inpatient) {
      if (poa !== undefined) throw new CodingReviewError(`POA indicators are for inpatient encounters; ${code} is on a ${context.encounter.type ?? 'outpatient'} encounter.`);
      return null;
    }
    const exempt = isPoaExempt(code);
    if (poa === undefined) {
      if (exempt) return 'exempt';
      throw new CodingReviewError(`${code} needs a POA indicator (Y, N, U or W): this is an inpatient encounter.`);
    }
    if (poa === 'exempt' && !exempt) throw new CodingReviewError(`${code} is not exempt from POA reporting; choose Y, N, U or W.`);
    if (poa !== 'exempt' && exempt) throw new CodingReviewError(`${code} is exempt from POA reporting; send "exempt" or leave the indicator out.`);
    return poa;
  };
  const addFinal = (code: string, title: string, origin: FinalCode['origin'], suggestedCode: string | null, poa: Poa | null) => {
    if (finalCodes.some((f) => f.code === code)) throw new CodingReviewError(`${code} appears more than once in the final code set.`);
    finalCodes.push({ code, title, origin, suggestedCode, poa });
    return finalCodes.length;
  };

  for (const decision of decisions) {
    const code = normalise(decision.code);
    if (seenDecision.has(code)) throw new CodingReviewError(`More than one decision for ${code}.`);
    seenDecision.add(code);
    const suggestion = suggested.get(code);
    if (decision.action !== 'add' && !suggestion) {
      throw new CodingReviewError(`${code} is not among the suggestions; use "add" for a code the engine missed.`);
    }
    const score = suggestion?.score ?? null;
    const noteId = suggestion?.evidence.find((e) => e.noteId)?.noteId ?? null;
    switch (decision.action) {
      case 'accept': {
        const record = known(code, 'Accepted code');
        const poa = poaFor(record.code, decision.poa);
        const sequence = addFinal(record.code, record.title, 'accepted', code, poa);
        records.push({ action: 'accept', suggestedCode: code, finalCode: record.code, reason: null, suggestedScore: score, sequence, poa, noteId });
        break;
      }
      case 'reject':
        if (!decision.reason?.trim()) throw new CodingReviewError(`Rejecting ${code} needs a reason.`);
        records.push({ action: 'reject', suggestedCode: code, finalCode: null, reason: decision.reason.trim(), suggestedScore: score, sequence: null, poa: null, noteId });
        break;
      case 'leave':
        records.push({ action: 'leave', suggestedCode: code, finalCode: null, reason: decision.reason?.trim() || null, suggestedScore: score, sequence: null, poa: null, noteId });
        break;
      case 'replace': {
        const record = known(decision.replacement, 'Replacement code');
        if (record.code === code) throw new CodingReviewError(`Replacing ${code} with itself; accept it instead.`);
        const poa = poaFor(record.code, decision.poa);
        const sequence = addFinal(record.code, record.title, 'replacement', code, poa);
        records.push({ action: 'replace', suggestedCode: code, finalCode: record.code, reason: decision.reason?.trim() || null, suggestedScore: score, sequence, poa, noteId });
        break;
      }
      case 'add': {
        if (suggestion) throw new CodingReviewError(`${code} is already suggested; accept it instead of adding it.`);
        const record = known(code, 'Added code');
        const poa = poaFor(record.code, decision.poa);
        const sequence = addFinal(record.code, record.title, 'added', null, poa);
        records.push({ action: 'add', suggestedCode: null, finalCode: record.code, reason: decision.reason?.trim() || null, suggestedScore: null, sequence, poa, noteId: null });
        break;
      }
    }
  }

  const undecided = [...suggested.values()].filter((s) => s.proposed && !seenDecision.has(normalise(s.code))).map((s) => s.code);
  if (undecided.length > 0) {
    throw new CodingReviewError(
      `${undecided.length} proposed code${undecided.length === 1 ? ' has' : 's have'} no decision (${undecided.join(', ')}): accept, reject, replace or leave out each one ("Accept all proposed" is an explicit choice).`,
    );
  }

  const edits = validateClaim(finalCodes.map((f) => f.code), context.patient, context.encounter, codeSet);
  const overrides: EditOverride[] = [];
  for (const o of context.overrides ?? []) {
    const edit = edits.find((e) => e.id === o.editId);
    if (!edit) continue;
    if (edit.severity === 'blocking') throw new CodingReviewError(`${edit.id} is a blocking edit and cannot be overridden: ${edit.message}`);
    if (!o.reason.trim()) throw new CodingReviewError(`Overriding ${edit.id} needs a reason.`);
    overrides.push({ editId: o.editId, reason: o.reason.trim() });
  }
  const failing = edits.filter((e) => e.severity === 'blocking' || !overrides.some((o) => o.editId === e.id));
  if (failing.length > 0) throw new ClaimEditsError(failing);
  return { finalCodes, decisions: records, edits, overrides };
}
