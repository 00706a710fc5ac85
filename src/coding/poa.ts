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
import { codeReferences, inRange } from '../icd10/codeRanges.ts';

export type Poa = 'Y' | 'N' | 'U' | 'W' | 'exempt';

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

/**
 * Proposes a POA indicator for one code of an inpatient encounter from the sentences that support it
 * (Guidelines Appendix I): a sentence placing the onset after admission gives N; one placing it at or before
 * admission, or naming it chronic (chronic conditions are Y even when diagnosed during the stay), gives Y.
 * Onset words win over admission words in the same sentence ("developed on day 3 after admission").
 */
export function proposePoa(code: string, sentences: readonly string[]): PoaProposal | undefined {
  if (isPoaExempt(code)) return { poa: 'exempt', because: 'on the CMS POA exempt list' };
  for (const sentence of sentences) {
    const during = sentence.match(aroseDuringStay);
    if (during) return { poa: 'N', because: `"${during[0]}"` };
  }
  for (const sentence of sentences) {
    const present = sentence.match(presentAtAdmission);
    if (present) return { poa: 'Y', because: `"${present[0]}"` };
  }
  for (const sentence of sentences) {
    const known = sentence.match(chronic);
    if (known) return { poa: 'Y', because: `"${known[0]}": chronic conditions are present on admission` };
  }
  return undefined;
}
