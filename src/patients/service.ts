/**
 * Patients: register, find and read them, for the API, the CLI and the other features' services. Names are stored
 * and searched in their folded form (`patient-name.ts`); a role sees only the patients its work needs.
 */
import type { Role } from '../access/types.ts';
import { isUniqueViolation, type Queryable } from '../db/database.ts';
import type { Page, PageRequest } from '../db/page.ts';
import { DuplicateMrnError, PatientNotFoundError } from './errors.ts';
import { foldedWords, searchableName } from './patient-name.ts';
import { findPatient, insertPatient, listPatients, patientHasRecords } from './repository.ts';
import type { NewPatient, Patient, PatientRecordKind } from './types.ts';

/** Registers a patient; DuplicateMrnError when the MRN is taken. */
export async function registerPatient(db: Queryable, patient: NewPatient): Promise<Patient> {
  try {
    return await insertPatient(db, patient, searchableName(patient.name));
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateMrnError();
    throw error;
  }
}

/** The patient, or PatientNotFoundError; what every route nested under a patient checks first. */
export async function requirePatient(db: Queryable, id: string): Promise<Patient> {
  const patient = await findPatient(db, id);
  if (!patient) throw new PatientNotFoundError();
  return patient;
}

/**
 * Minimum necessary: radiologists see only patients with images, coders only patients with notes (what they read
 * and code); doctors and clinicians, who register and treat, see every patient.
 */
const recordsSeenBy = (role: Role | undefined): PatientRecordKind | undefined =>
  role === 'radiologist' ? 'images' : role === 'coder' ? 'notes' : undefined;

/** A patient as `role` may see it: PatientNotFoundError when absent or outside the role's scope. */
export async function readPatient(db: Queryable, id: string, role: Role | undefined): Promise<Patient> {
  const patient = await requirePatient(db, id);
  const having = recordsSeenBy(role);
  // Out of the role's scope looks the same as absent: the role has no business knowing the patient exists.
  if (having && !(await patientHasRecords(db, id, having))) throw new PatientNotFoundError();
  return patient;
}

export interface PatientSearch {
  /** Exact MRN. */
  mrn?: string | undefined;
  /** Every word of it starts a word of the name, accent- and case-insensitive ("nguy thi" finds "Thị Nguyễn"). */
  name?: string | undefined;
  /** The name as for `name`, or else a case-insensitive prefix of the MRN. */
  q?: string | undefined;
}

/** The patients `role` may see that match the search, in registration order. */
export function findPatients(db: Queryable, search: PatientSearch, role: Role | undefined, page: PageRequest): Promise<Page<Patient>> {
  return listPatients(
    db,
    {
      mrn: search.mrn,
      nameWords: search.name ? foldedWords(search.name) : undefined,
      q: search.q ? { nameWords: foldedWords(search.q), text: search.q } : undefined,
      having: recordsSeenBy(role),
    },
    page,
  );
}
