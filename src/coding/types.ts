/** Record types the coding repository and the coding domain share (the repository imports only these). */

export type Poa = 'Y' | 'N' | 'U' | 'W' | 'exempt';

export type DecisionAction = 'accept' | 'reject' | 'replace' | 'add' | 'leave';

export interface CodeDecision {
  action: DecisionAction;
  suggestedCode: string | null;
  finalCode: string | null;
  reason: string | null;
  suggestedScore: number | null;
  /** Position in the final code set (1 = principal / first-listed); null for codes not coded. */
  sequence?: number | null;
  poa?: Poa | null;
  /** The note whose evidence the suggestion rests on (encounter reviews). */
  noteId?: string | null;
}

export interface EditOverride {
  editId: string;
  reason: string;
}

export interface FinalCode {
  code: string;
  title: string;
  /** How the code got into the final set. */
  origin: 'accepted' | 'replacement' | 'added';
  /** The suggestion it came from (for accepted and replacement codes). */
  suggestedCode: string | null;
  /** Present on admission, for inpatient encounters; null otherwise. */
  poa?: Poa | null;
}

export type EncounterType = 'outpatient' | 'ED' | 'inpatient';

/** The latest final code set of one reviewed encounter or note. */
export interface ReviewedCodeSet {
  /** Set for a note reviewed as its own encounter. */
  noteId: string | null;
  /** Set for an encounter review. */
  encounterId: string | null;
  externalId: string | null;
  encounterType: EncounterType;
  start: Date;
  end: Date | null;
  noteIds: string[];
  patientId: string;
  mrn: string;
  version: number;
  codeSetVersion: string;
  finalCodes: FinalCode[];
  reviewedBy: string;
  reviewedAt: Date;
}

/** One stored coder decision with the note text it was made on. */
export interface StoredDecision {
  noteId: string;
  text: string;
  action: 'accept' | 'reject' | 'replace' | 'add';
  suggestedCode: string | null;
  finalCode: string | null;
  /**
   * The evidence spans (offsets into `text`) stored with the note's suggestion of `suggestedCode`; null when the
   * decision was not about a suggestion (an added code).
   */
  suggestedEvidence: ReadonlyArray<{ start: number; end: number }> | null;
}

/** What a review is of: a note (its own outpatient encounter) or an encounter. */
export type ReviewSubject = { noteId: string; encounterId: null } | { noteId: null; encounterId: string };

export interface CodeReview {
  id: string;
  noteId: string | null;
  encounterId: string | null;
  patientId: string;
  version: number;
  codeSetVersion: string;
  rankerVersion: string | null;
  finalCodes: FinalCode[];
  overrides: EditOverride[];
  actorKeyId: string | null;
  actorLabel: string;
  createdAt: Date;
  decisions: CodeDecision[];
}

/** One line of the coder's worklist: an encounter, or a note that is its own outpatient encounter. */
export interface WorklistItem {
  encounterId: string | null;
  noteId: string | null;
  patientId: string;
  mrn: string;
  name: string | null;
  sex: string | null;
  birthDate: string | null;
  type: 'outpatient' | 'ED' | 'inpatient';
  start: Date;
  end: Date | null;
  /** When the encounter's last note arrived: the coder's queue is oldest first by this. */
  waitingSince: Date;
  noteCount: number;
  kinds: string[];
  /** Distinct codes proposed by any of its notes. */
  proposedCodes: string[];
  reviewVersion: number | null;
}

export interface WorklistFilter {
  status: 'awaiting' | 'reviewed';
  type?: WorklistItem['type'] | undefined;
  kind?: string | undefined;
  patientId?: string | undefined;
}

/** A worklist line with what the coder's queue shows of it. */
export interface CodingWorklistEntry extends WorklistItem {
  /** Whole days since its last note arrived. */
  daysWaiting: number;
  /** Whether the proposed codes, as proposed, fail a blocking claim edit. */
  blocking: boolean;
}
