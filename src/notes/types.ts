/** Record types the notes repository, service and domain share. */

export type NoteStatus = 'pending' | 'processing' | 'processed' | 'failed';

export type NoteSource = 'typed' | 'dictation' | 'import';

export interface NewNote {
  /** A given id (an idempotent submit's): inserting it again returns the stored note instead of adding one. Default: random. */
  id?: string;
  patientId: string;
  kind: string;
  /** Care setting for coding (outpatient, ED, inpatient); null: derived from the kind. */
  setting?: 'outpatient' | 'ED' | 'inpatient' | null;
  author: string;
  authoredAt: Date;
  source: NoteSource;
  text: string;
  pipelineVersion: string;
}

export interface Note extends NewNote {
  id: string;
  status: NoteStatus;
  processedVersion: string | null;
  error: string | null;
  /** Stage outputs keyed by stage name (structure, codes, …). */
  results: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type NoteSummary = Omit<Note, 'text' | 'results'>;

