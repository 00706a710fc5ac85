/**
 * The coder's workspace for a note or an encounter: the patient, the encounter (a note without one is its own
 * outpatient encounter), its notes' merged suggestions, the claim edits on the proposed codes and the saved
 * reviews; and saving a review of it. Reads through the repositories; the rules are the domain's.
 */
import { validateClaim, type ClaimEdit, type ClaimPatient } from '../coding/claim-edits.ts';
import { applyCoderDecisions, type CoderDecision, type ReviewOutcome } from '../coding/review.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { NoteCodes } from '../coding/icd10/note-codes.ts';
import { activeVersion, loadCodeSet } from '../coding/icd10/versions.ts';
import { insertCodeReview, listCodeReviews } from '../coding/repository.ts';
import { findEncounter, insertEncounter, listEncounterNotes, listPatientEncounters, noteEncounterId, setNoteEncounter } from './repository.ts';
import { EncounterError, EncounterNotFoundError, NoteInOtherEncounterError } from './encounter.ts';
import { findNote } from '../notes/repository.ts';
import { NoteNotFoundError } from '../notes/errors.ts';
import { findPatient } from '../patients/repository.ts';
import { requirePatient } from '../patients/service.ts';
import type { Page, PageRequest } from '../db/page.ts';
import { mergeEncounterSuggestions, type MergedSuggestion } from './merge.ts';
import type { CodeReview, EditOverride, EncounterType, ReviewSubject } from '../coding/types.ts';
import type { Note } from '../notes/types.ts';
import type { Patient } from '../patients/types.ts';
import type { Encounter } from './types.ts';

export interface WorkspaceEncounter {
  /** Null for a note that is its own encounter. */
  id: string | null;
  type: EncounterType;
  start: Date;
  end: Date | null;
  externalId: string | null;
}

export interface ReviewWorkspace {
  subject: ReviewSubject;
  patient: Patient;
  encounter: WorkspaceEncounter;
  notes: Note[];
  /** Whether every note is processed (suggestions exist for all of them). */
  ready: boolean;
  codeSetVersion: string;
  rankerVersion: string | null;
  suggestions: MergedSuggestion[];
}

const codesOf = (note: Note) => note.results.codes as NoteCodes | undefined;

export const claimPatient = (p: { sex: string | null; birthDate: string | null }): ClaimPatient => ({
  sex: p.sex,
  birthDate: p.birthDate ? String((p.birthDate as unknown) instanceof Date ? (p.birthDate as unknown as Date).toISOString() : p.birthDate).slice(0, 10) : null,
});

function workspace(subject: ReviewSubject, patient: Patient, encounter: WorkspaceEncounter, notes: Note[]): ReviewWorkspace {
  const coded = notes.filter((n) => n.status === 'processed' && codesOf(n));
  // Suggestions of one review come from one code-set version: the latest note's (notes recoded later follow it).
  const latest = coded.length ? codesOf(coded[coded.length - 1]!)! : undefined;
  return {
    subject,
    patient,
    encounter,
    notes,
    ready: notes.length > 0 && coded.length === notes.length,
    codeSetVersion: latest?.codeSetVersion ?? activeVersion(),
    rankerVersion: latest?.rankerVersion ?? null,
    suggestions: mergeEncounterSuggestions(
      coded.map((n) => ({ noteId: n.id, authoredAt: n.authoredAt, kind: n.kind, text: n.text, suggestions: codesOf(n)!.suggestions })),
      encounter.type,
    ),
  };
}

/** A note's workspace when it is its own encounter; `encounterId` set instead when it belongs to one. */
export async function loadNoteWorkspace(db: Queryable, noteId: string): Promise<{ workspace?: ReviewWorkspace; encounterId?: string; note?: Note }> {
  const note = await findNote(db, noteId);
  if (!note) return {};
  const encounterId = await noteEncounterId(db, noteId);
  if (encounterId) return { encounterId, note };
  const patient = (await findPatient(db, note.patientId))!;
  return { note, workspace: workspace({ noteId, encounterId: null }, patient, { id: null, type: 'outpatient', start: note.authoredAt, end: note.authoredAt, externalId: null }, [note]) };
}

export async function loadEncounterWorkspace(db: Queryable, encounterId: string): Promise<ReviewWorkspace | undefined> {
  const encounter = await findEncounter(db, encounterId);
  if (!encounter) return undefined;
  const [patient, notes] = await Promise.all([findPatient(db, encounter.patientId), listEncounterNotes(db, encounterId)]);
  return workspace({ noteId: null, encounterId }, patient!, encounter, notes);
}

/** The claim edits the proposed codes would raise, in the engine's order: what a coder sees before deciding. */
export function proposedEdits(ws: ReviewWorkspace): ClaimEdit[] {
  const codeSet = loadCodeSet(ws.codeSetVersion);
  return validateClaim(
    ws.suggestions.filter((s) => s.proposed).map((s) => s.code),
    claimPatient(ws.patient),
    { type: ws.encounter.type, start: ws.encounter.start },
    codeSet,
  );
}

export const listWorkspaceReviews = (db: Queryable, ws: ReviewWorkspace): Promise<CodeReview[]> => listCodeReviews(db, ws.subject);

/** Applies the decisions (domain rules and claim edits) and stores the new version. */
export async function saveReview(
  db: Database,
  ws: ReviewWorkspace,
  input: { decisions: readonly CoderDecision[]; overrides: readonly EditOverride[]; actor: { keyId: string | null; label: string } },
): Promise<{ review: CodeReview; outcome: ReviewOutcome }> {
  const outcome = applyCoderDecisions(ws.suggestions, input.decisions, loadCodeSet(ws.codeSetVersion), {
    patient: claimPatient(ws.patient),
    encounter: { type: ws.encounter.type, start: ws.encounter.start },
    overrides: input.overrides,
  });
  const review = await insertCodeReview(db, {
    subject: ws.subject,
    patientId: ws.patient.id,
    defaultNoteId: ws.notes[0]!.id,
    codeSetVersion: ws.codeSetVersion,
    rankerVersion: ws.rankerVersion,
    finalCodes: outcome.finalCodes,
    overrides: outcome.overrides,
    actor: input.actor,
    decisions: outcome.decisions,
  });
  return { review, outcome };
}

/** The encounter, or EncounterNotFoundError. */
export async function requireEncounter(db: Queryable, id: string): Promise<Encounter> {
  const encounter = await findEncounter(db, id);
  if (!encounter) throw new EncounterNotFoundError();
  return encounter;
}

/** The encounter a new note of this patient goes in: EncounterNotFoundError, or EncounterError when it is another patient's. */
export async function requirePatientEncounter(db: Queryable, patientId: string, encounterId: string): Promise<Encounter> {
  const encounter = await requireEncounter(db, encounterId);
  if (encounter.patientId !== patientId) throw new EncounterError("The encounter is another patient's.");
  return encounter;
}

export interface EncounterOpening {
  type: EncounterType;
  start: Date;
  end: Date | null;
  externalId: string | null;
}

/** Opens a patient's encounter; one with an external id already known for the patient is returned instead (`created` false). */
export async function openEncounter(db: Queryable, patientId: string, opening: EncounterOpening): Promise<{ encounter: Encounter; created: boolean }> {
  const patient = await requirePatient(db, patientId);
  if (opening.end && opening.end < opening.start) throw new EncounterError('The encounter ends before it starts.');
  return insertEncounter(db, { patientId: patient.id, ...opening });
}

/** A patient's encounters, latest first; PatientNotFoundError when there is no such patient. */
export async function listEncounters(db: Queryable, patientId: string, page: PageRequest): Promise<Page<Encounter>> {
  const patient = await requirePatient(db, patientId);
  return listPatientEncounters(db, patient.id, page);
}

/** An encounter's notes, oldest first. */
export const encounterNotes = (db: Queryable, encounterId: string): Promise<Note[]> => listEncounterNotes(db, encounterId);

/**
 * Puts one of the patient's notes in the encounter: NoteNotFoundError, EncounterError when the note is another
 * patient's, NoteInOtherEncounterError when it is already in another encounter. Returns the encounter's notes.
 */
export async function attachNote(db: Queryable, encounter: Encounter, noteId: string): Promise<Note[]> {
  const note = await findNote(db, noteId);
  if (!note) throw new NoteNotFoundError();
  if (note.patientId !== encounter.patientId) throw new EncounterError("The note is another patient's.");
  const current = await noteEncounterId(db, noteId);
  if (current && current !== encounter.id) throw new NoteInOtherEncounterError(current);
  await setNoteEncounter(db, noteId, encounter.id);
  return listEncounterNotes(db, encounter.id);
}
