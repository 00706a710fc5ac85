/** Record types the patients repository, service and other features share. */

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface Patient {
  id: string;
  mrn: string;
  name: string | null;
  birthDate: string | null;
  sex: Sex | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPatient {
  mrn: string;
  name?: string | null | undefined;
  birthDate?: string | null | undefined;
  sex?: Sex | null | undefined;
}


/** Records a patient can have, by which a role's view of patients is narrowed. */
export type PatientRecordKind = 'images' | 'notes';
