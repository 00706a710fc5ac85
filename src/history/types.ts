/** Record types the history repositories and the history domain share (the repositories import only these). */

export const factKinds = ['problem', 'medication', 'allergy', 'vital', 'lab', 'observation', 'procedure', 'immunization'] as const;

export type FactKind = (typeof factKinds)[number];

export interface FactDraft {
  kind: FactKind;
  /** Concept keys (`icd10:E11.9`, `snomed:44054006`, `rxnorm:860975`, `loinc:4548-4`), most specific first. */
  codes: string[];
  display: string;
  /** Clinical or medication status where the source states one (active, resolved, stopped, …). */
  status: string | null;
  negated: boolean;
  uncertain: boolean;
  historical: boolean;
  hypothetical: boolean;
  family: boolean;
  value: number | null;
  unit: string | null;
  valueText: string | null;
  observedAt: Date;
  /** Span in the note text, end exclusive. */
  start: number;
  end: number;
  /** The source record (`Condition/…`) for imported facts. */
  sourceRef: string | null;
  detail: Record<string, unknown>;
}

export type FactOrigin = 'note' | 'fhir';

/** A stored fact. */
export interface Fact extends FactDraft {
  id: string;
  patientId: string;
  noteId: string;
  origin: FactOrigin;
}

/** A concept mentioned in a text; offsets into that text. */
export interface ConceptMention {
  start: number;
  end: number;
  /** The concept's name (lexicon term, ingredient or LOINC name). */
  display: string;
  keys: string[];
  /** The text denies it ("no DVT", "ruled out"). */
  negated: boolean;
}

/** One passage's statistics for a query. */
export interface PassageScores {
  id: string;
  /** Distinct lexemes in the passage (its length for BM25). */
  length: number;
  /** Cosine distance to the query vector; null when the passage has no vector of the query's model. */
  distance: number | null;
  /** Occurrences of each query lexeme in the passage. */
  termFrequencies: Record<string, number>;
}

