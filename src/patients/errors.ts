/** Why a patient cannot be registered or read; the API maps each to its problem type. */

/** No patient with the id, or none the caller's role may see (out of scope looks the same as absent). */
export class PatientNotFoundError extends Error {
  override readonly name = 'PatientNotFoundError';
  constructor() {
    super('No patient with this id.');
  }
}

/** The MRN is already another patient's. */
export class DuplicateMrnError extends Error {
  override readonly name = 'DuplicateMrnError';
  constructor() {
    super('A patient with this MRN already exists.');
  }
}
