/** Why a coding request about a stored note cannot go ahead; the doors map each to a response. */

/** No note with this id. */
export class NoteNotFoundError extends Error {
  constructor() {
    super('No note with this id.');
    this.name = 'NoteNotFoundError';
  }
}

/** The note belongs to an encounter, whose notes are reviewed together. */
export class NoteInEncounterError extends Error {
  constructor(readonly encounterId: string) {
    super(`The note belongs to encounter ${encounterId}; review the encounter (POST /v1/encounters/${encounterId}/codes/review).`);
    this.name = 'NoteInEncounterError';
  }
}

/** The note has no suggestions yet (not processed): there is nothing to decide on. */
export class NoteNotProcessedError extends Error {
  constructor() {
    super('The note has not been processed yet; review it once its suggestions exist.');
    this.name = 'NoteNotProcessedError';
  }
}

/** Fewer stored coder decisions than a learning run asks for. */
export class TooFewDecisionsError extends Error {
  constructor(readonly stored: number) {
    super(`Only ${stored} coder decisions are stored; nothing to learn from yet.`);
    this.name = 'TooFewDecisionsError';
  }
}
