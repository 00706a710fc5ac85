/** A CodiEsp document (CLEF eHealth 2020) as read by `codiesp-files.ts`. Codes are uppercase with the dot. */
export interface CodiEspEvidence {
  code: string;
  /** The Spanish evidence text as annotated. */
  text: string;
  /** Character ranges in the Spanish text (discontinuous mentions have several). */
  ranges: Array<[number, number]>;
}

export interface CodiEspDocument {
  id: string;
  english: string;
  /** Absent when the split folder has no Spanish originals. */
  spanish?: string;
  /** Gold diagnosis codes (unique, in file order). */
  codes: string[];
  /** Diagnosis evidence spans from `SPLITX.tsv`, when present. */
  evidence: CodiEspEvidence[];
}
