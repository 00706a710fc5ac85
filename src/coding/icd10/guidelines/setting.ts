/**
 * The care setting a note is coded for. Uncertain diagnoses follow it: coded as established for inpatient
 * admissions (Official Guidelines Section II.H, III.C), not coded for outpatient and ED encounters, whose
 * symptoms are coded instead (Section IV.H).
 */
export const codingSettings = ['outpatient', 'ED', 'inpatient'] as const;
export type CodingSetting = (typeof codingSettings)[number];

/** The setting a note kind implies when none is given: hospital notes are inpatient, emergency notes ED, the rest outpatient. */
export function settingForNoteKind(kind: string | null | undefined): CodingSetting {
  const k = (kind ?? '').toLowerCase();
  if (/\b(ed|er|emergency|triage)\b/.test(k.replace(/[_-]/g, ' '))) return 'ED';
  if (/discharge|admission|admit|inpatient|hospital|h ?& ?p|history and physical|consult|operative|icu/.test(k)) return 'inpatient';
  return 'outpatient';
}
