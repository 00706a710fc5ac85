/** Encounters: an outpatient visit, ED visit or inpatient stay, and the notes written during it. */
import type { EncounterType } from '../coding/claim-edits.ts';

export type { EncounterType };
export const ENCOUNTER_TYPES: readonly EncounterType[] = ['outpatient', 'ED', 'inpatient'];

export interface Encounter {
  id: string;
  patientId: string;
  type: EncounterType;
  /** Admission for inpatient stays. */
  start: Date;
  /** Discharge for inpatient stays; null while the encounter lasts. */
  end: Date | null;
  /** The EMR's id for the encounter, unique per patient. */
  externalId: string | null;
  createdAt: Date;
}

/** Raised when an encounter cannot be created or a note not attached (wrong patient, end before start, …). */
export class EncounterError extends Error {
  override readonly name = 'EncounterError';
}

/** A note's place in the review: its own outpatient encounter when it belongs to none. */
export function standaloneEncounter(note: { id: string; patientId: string; authoredAt: Date; createdAt: Date }): Omit<Encounter, 'id'> & { id: null } {
  return { id: null, patientId: note.patientId, type: 'outpatient', start: note.authoredAt, end: note.authoredAt, externalId: null, createdAt: note.createdAt };
}
