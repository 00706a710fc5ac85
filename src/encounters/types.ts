/** Record types the encounters repository, service and domain share. */
import type { EncounterType } from '../coding/types.ts';

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

