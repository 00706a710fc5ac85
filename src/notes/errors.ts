/** Why a note cannot be submitted or read; the API maps each to its problem type. */

export class NoteNotFoundError extends Error {
  override readonly name = 'NoteNotFoundError';
  constructor() {
    super('No note with this id.');
  }
}

/** The note was written for another patient than the one it was sent for (a screen that switched patients). */
export class NotePatientMismatchError extends Error {
  override readonly name = 'NotePatientMismatchError';
  constructor() {
    super('The note was written for a different patient than the one in the path; it was not saved.');
  }
}

/** The note's structure was asked for before the pipeline made it. */
export class NoteNotStructuredError extends Error {
  override readonly name = 'NoteNotStructuredError';
  constructor() {
    super('The note has not been structured yet.');
  }
}
