/** Encounters: an outpatient visit, ED visit or inpatient stay, and the notes written during it. */
import type { EncounterType } from '../coding/types.ts';
import type { Encounter } from './types.ts';

export const ENCOUNTER_TYPES: readonly EncounterType[] = ['outpatient', 'ED', 'inpatient'];

/** Raised when an encounter cannot be created or a note not attached (wrong patient, end before start, …). */
export class EncounterError extends Error {
  override readonly name = 'EncounterError';
}

/** A note's place in the review: its own outpatient encounter when it belongs to none. */
export function standaloneEncounter(note: { id: string; patientId: string; authoredAt: Date; createdAt: Date }): Omit<Encounter, 'id'> & { id: null } {
  return { id: null, patientId: note.patientId, type: 'outpatient', start: note.authoredAt, end: note.authoredAt, externalId: null, createdAt: note.createdAt };
}

/** No encounter with the id. */
export class EncounterNotFoundError extends Error {
  override readonly name = 'EncounterNotFoundError';
  constructor() {
    super('No encounter with this id.');
  }
}

/** A note already in one encounter cannot be put in another. */
export class NoteInOtherEncounterError extends Error {
  override readonly name = 'NoteInOtherEncounterError';
  constructor(readonly encounterId: string) {
    super(`The note already belongs to encounter ${encounterId}.`);
  }
}
