/**
 * Present-on-admission (POA) indicators for inpatient claims: which codes are exempt from reporting, and a
 * proposal from the note's own words where they say when a condition arose. A proposal is only a starting
 * point the coder confirms or changes; where the text says nothing, nothing is proposed.
 *
 * Exempt codes held here: categories and codes of the CMS ICD-10-CM POA exempt list (FY2021) that Clinote's
 * engine can propose: sequelae (B90–B94, E64, I69, O94), old myocardial infarction (I25.2), supervision of
 * high-risk pregnancy (O09), full-term uncomplicated delivery (O80), congenital malformations (Q00–Q99),
 * factors influencing health status that describe the encounter or history rather than a condition
 * (Z00–Z13, Z3A, Z37, Z38, Z68, Z79, Z80–Z87). Codes outside these need Y, N, U or W.
 */
import { codeReferences, inRange } from './icd10/code-ranges.ts';
import type { Poa } from './types.ts';

export const POA_VALUES: readonly Poa[] = ['Y', 'N', 'U', 'W', 'exempt'];

export const POA_MEANINGS: Record<Poa, string> = {
  Y: 'present at the time of inpatient admission',
  N: 'not present at the time of inpatient admission',
  U: 'documentation insufficient to determine',
  W: 'clinically undetermined',
  exempt: 'exempt from POA reporting',
};

const EXEMPT = codeReferences('B90-B94, E64, I25.2, I69, O09, O80, O94, Q00-Q99, Z00-Z13, Z3A, Z37, Z38, Z68, Z79, Z80-Z87');

export function isPoaExempt(code: string): boolean {
  return EXEMPT.some((r) => inRange(code, r));
}

export interface PoaProposal {
  poa: Poa;
  /** The words that decided it, or the rule. */
  because: string;
}

// Onset after admission: a hospital day, "after admission", "during the stay", hospital-acquired, post-operative.
const aroseDuringStay =
  /\b(on (hospital |post-?operative )?day \d+|hospital day \d+|(post-?operative|post-?op) day \d+|after (admission|being admitted)|during (the |this )?(hospitali[sz]ation|admission|hospital stay|stay)|hospital[- ]acquired|nosocomial|while (in hospital|hospitali[sz]ed|admitted|an inpatient))\b/i;
// Present at admission: said outright, or the reason for admission, or present before it.
const presentAtAdmission =
  /\b(present on admission|on admission|at (the time of )?admission|admitted (with|for|because of)|admission diagnosis|presented (to the (ED|emergency department) )?with|presenting with|prior to admission|before admission|on arrival)\b/i;
const chronic = /\b(chronic|long-?standing|known)\b/i;

/** A sentence that supports the code, with the supporting words' offsets in it. */
export interface EvidenceSentence {
  text: string;
  start: number;
  end: number;
}

const distance = (match: RegExpExecArray, e: EvidenceSentence) =>
  match.index >= e.end ? match.index - e.end : match.index + match[0].length <= e.start ? e.start - (match.index + match[0].length) : 0;

/**
 * Proposes a POA indicator for one code of an inpatient encounter from the sentences that support it
 * (Guidelines Appendix I): words placing the onset after admission give N; words placing it at or before
 * admission give Y; a condition named chronic gives Y (chronic conditions are Y even when diagnosed during the
 * stay). In a sentence with both ("admitted with pneumonia; developed a UTI on day 3"), the words nearest the
 * condition decide.
 */
export function proposePoa(code: string, sentences: readonly EvidenceSentence[]): PoaProposal | undefined {
  if (isPoaExempt(code)) return { poa: 'exempt', because: 'on the CMS POA exempt list' };
  let best: { poa: Poa; words: string; distance: number } | undefined;
  for (const e of sentences) {
    for (const [pattern, poa] of [
      [aroseDuringStay, 'N'],
      [presentAtAdmission, 'Y'],
    ] as const) {
      for (const match of e.text.matchAll(new RegExp(pattern.source, 'gi'))) {
        const d = distance(match as RegExpExecArray, e);
        if (!best || d < best.distance) best = { poa, words: match[0], distance: d };
      }
    }
  }
  if (best) return { poa: best.poa, because: `"${best.words}"` };
  for (const e of sentences) {
    const known = e.text.match(chronic);
    if (known) return { poa: 'Y', because: `"${known[0]}": chronic conditions are present on admission` };
  }
  return undefined;
}
