import type { CodeDecision, FinalCode } from '../repositories/coding.ts';
import { excludes1Flags } from './flags.ts';
import { dottedCode } from './release.ts';
import type { Suggestion } from './suggest.ts';
import { loadCodeSet } from './versions.ts';

/** A coder's decision on one suggestion, or a code the engine missed. */
export type CoderDecision =
  | { action: 'accept'; code: string }
  | { action: 'reject'; code: string; reason: string }
  | { action: 'replace'; code: string; replacement: string; reason?: string | undefined }
  | { action: 'add'; code: string; reason?: string | undefined };

/** Raised when decisions cannot be applied (unknown code, not billable, not among the suggestions, …). */
export class CodingReviewError extends Error {
  override readonly name = 'CodingReviewError';
}

export interface ReviewOutcome {
  finalCodes: FinalCode[];
  decisions: CodeDecision[];
  /** Excludes1 pairs left in the final set: allowed (the coder decides) but reported. */
  warnings: string[];
}

const normalise = (code: string) => dottedCode(code.trim().toUpperCase().replace(/\./g, ''));

/**
 * Applies a coder's decisions to a note's suggestions and returns the final code set. Accepted,
 * replacement and added codes must exist in the code set and be billable; a code may appear once.
 */
export function applyCoderDecisions(suggestions: readonly Suggestion[], decisions: readonly CoderDecision[], version: string): ReviewOutcome {
  const codeSet = loadCodeSet(version);
  const suggested = new Map(suggestions.map((s) => [normalise(s.code), s]));
  const finalCodes: FinalCode[] = [];
  const records: CodeDecision[] = [];
  const seenDecision = new Set<string>();

  const requireBillable = (raw: string, role: string) => {
    const code = normalise(raw);
    const record = codeSet.describe(code);
    if (!record) throw new CodingReviewError(`${role} ${raw} is not an ICD-10-CM ${codeSet.version} code.`);
    if (!record.billable) {
      const examples = record.children.slice(0, 5).map((c) => c.code).join(', ');
      throw new CodingReviewError(`${role} ${record.code} is not billable; choose a more specific code${examples ? ` (e.g. ${examples})` : ''}.`);
    }
    return record;
  };
  const addFinal = (code: string, title: string, origin: FinalCode['origin'], suggestedCode: string | null) => {
    if (finalCodes.some((f) => f.code === code)) throw new CodingReviewError(`${code} appears more than once in the final code set.`);
    finalCodes.push({ code, title, origin, suggestedCode });
  };

  for (const decision of decisions) {
    const code = normalise(decision.code);
    if (seenDecision.has(code)) throw new CodingReviewError(`More than one decision for ${code}.`);
    seenDecision.add(code);
    const suggestion = suggested.get(code);
    if (decision.action !== 'add' && !suggestion) {
      throw new CodingReviewError(`${code} is not among this note's suggestions; use "add" for a code the engine missed.`);
    }
    const score = suggestion?.score ?? null;
    switch (decision.action) {
      case 'accept': {
        const record = requireBillable(code, 'Accepted code');
        addFinal(record.code, record.title, 'accepted', code);
        records.push({ action: 'accept', suggestedCode: code, finalCode: record.code, reason: null, suggestedScore: score });
        break;
      }
      case 'reject':
        if (!decision.reason?.trim()) throw new CodingReviewError(`Rejecting ${code} needs a reason.`);
        records.push({ action: 'reject', suggestedCode: code, finalCode: null, reason: decision.reason.trim(), suggestedScore: score });
        break;
      case 'replace': {
        const record = requireBillable(decision.replacement, 'Replacement code');
        if (record.code === code) throw new CodingReviewError(`Replacing ${code} with itself; accept it instead.`);
        addFinal(record.code, record.title, 'replacement', code);
        records.push({ action: 'replace', suggestedCode: code, finalCode: record.code, reason: decision.reason?.trim() || null, suggestedScore: score });
        break;
      }
      case 'add': {
        if (suggestion) throw new CodingReviewError(`${code} is already suggested; accept it instead of adding it.`);
        const record = requireBillable(code, 'Added code');
        addFinal(record.code, record.title, 'added', null);
        records.push({ action: 'add', suggestedCode: null, finalCode: record.code, reason: decision.reason?.trim() || null, suggestedScore: null });
        break;
      }
    }
  }

  const conflicts = excludes1Flags(codeSet, finalCodes.map((f) => f.code));
  const warnings = [...conflicts.values()].flat().map((f) => f.message);
  return { finalCodes, decisions: records, warnings: [...new Set(warnings)] };
}
