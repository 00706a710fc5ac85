/**
 * Notes: submit one (saved, audited, its pipeline job enqueued), read and list them, run the pipeline's stages on
 * one, and send unfinished or failed notes back to the pipeline. The API, the CLI and the workers call these.
 */
import type { AuditActor } from '../access/types.ts';
import type { Queryable } from '../db/database.ts';
import type { Page, PageRequest } from '../db/page.ts';
import { setNoteEncounter } from '../encounters/repository.ts';
import { requirePatientEncounter } from '../encounters/service.ts';
import { requirePatient } from '../patients/service.ts';
import type { Runtime } from '../runtime.ts';
import { NoteNotFoundError, NoteNotStructuredError, NotePatientMismatchError } from './errors.ts';
import { enqueueNotePipeline, NOTE_PIPELINE_VERSION } from './jobs.ts';
import { runNoteStages, stageResultsJson } from './pipeline.ts';
import {
  claimNoteForProcessing,
  completeNoteProcessing,
  failNoteProcessing,
  findNote,
  findNoteVersion,
  findNoteWithResultsJson,
  insertNote,
  listPatientNotes,
  listUnfinishedNotes,
  requeueFailedNotes,
  type NoteWithResultsJson,
} from './repository.ts';
import type { NotePipelineStage } from './stage-service.ts';
import type { StructuredNote } from './structuring/schema.ts';
import type { Note, NoteSource, NoteSummary } from './types.ts';

export type { NoteWithResultsJson } from './repository.ts';

export interface NoteSubmission {
  patientId: string;
  /** The patient the client showed while the note was written, when it says: must be `patientId`. */
  writtenForPatientId?: string | undefined;
  /** A given id (an idempotent submit's): submitting it again returns the stored note. */
  id?: string | undefined;
  kind: string;
  setting?: 'outpatient' | 'ED' | 'inpatient' | undefined;
  author: string;
  authoredAt: Date;
  source: NoteSource;
  text: string;
  encounterId?: string | undefined;
}

/**
 * Saves a note (in its encounter, if given), audits it as the actor's `note.create` and enqueues its pipeline job.
 * NotePatientMismatchError (nothing saved), PatientNotFoundError, EncounterNotFoundError or EncounterError.
 */
export async function submitNote(
  runtime: Runtime,
  submission: NoteSubmission,
  context: { actor: AuditActor; requestId: string },
): Promise<{ note: Note; jobId: string }> {
  const { db } = runtime;
  const { patientId } = submission;
  // A screen that switched patients must never file the note under the previous one.
  if (submission.writtenForPatientId !== undefined && submission.writtenForPatientId.toLowerCase() !== patientId.toLowerCase()) {
    throw new NotePatientMismatchError();
  }
  await requirePatient(db, patientId);
  const encounter = submission.encounterId ? await requirePatientEncounter(db, patientId, submission.encounterId) : undefined;
  const note = await insertNote(db, {
    ...(submission.id ? { id: submission.id } : {}),
    patientId,
    kind: submission.kind,
    // A note in an encounter is coded in the encounter's setting unless it says otherwise.
    setting: submission.setting ?? encounter?.type ?? null,
    author: submission.author,
    authoredAt: submission.authoredAt,
    source: submission.source,
    text: submission.text,
    pipelineVersion: NOTE_PIPELINE_VERSION,
  });
  if (encounter) await setNoteEncounter(db, note.id, encounter.id);
  await runtime.audit.record([
    {
      ...context,
      action: 'note.create',
      patientId,
      resourceType: 'note',
      resourceId: note.id,
      ...(encounter ? { detail: { encounterId: encounter.id } } : {}),
    },
  ]);
  const jobId = await enqueueNotePipeline(runtime, note.id, context.requestId);
  return { note, jobId };
}

/** The note with its text and results, or NoteNotFoundError. */
export async function requireNote(db: Queryable, id: string): Promise<Note> {
  const note = await findNote(db, id);
  if (!note) throw new NoteNotFoundError();
  return note;
}

/** The note's patient and row version only (what the hot read checks before serving a body it rendered), or NoteNotFoundError. */
export async function requireNoteVersion(db: Queryable, id: string): Promise<{ patientId: string; rowVersion: string }> {
  const version = await findNoteVersion(db, id);
  if (!version) throw new NoteNotFoundError();
  return version;
}

/** The note with its results as the stored JSON text, for answers that pass them on unparsed; undefined when gone. */
export const findNoteForRendering = (db: Queryable, id: string): Promise<NoteWithResultsJson | undefined> => findNoteWithResultsJson(db, id);

/** A patient's notes without text and results, newest first; PatientNotFoundError when there is no such patient. */
export async function listNotes(db: Queryable, patientId: string, page: PageRequest): Promise<Page<NoteSummary>> {
  await requirePatient(db, patientId);
  return listPatientNotes(db, patientId, page);
}

/** A processed note with its structure: NoteNotFoundError, or NoteNotStructuredError before the pipeline made it. */
export async function requireStructuredNote(db: Queryable, id: string): Promise<{ note: Note; structure: StructuredNote }> {
  const note = await requireNote(db, id);
  const structure = note.results.structure as StructuredNote | undefined;
  if (!structure) throw new NoteNotStructuredError();
  return { note, structure };
}

/**
 * Runs the stages on the note and stores all their results in one update. Idempotent: a note gone or already
 * processed at this version is left alone (`skipped`), so a duplicate or resumed run changes nothing. A failing
 * stage's error is thrown; on the `final` attempt the note is marked failed with it first.
 */
export async function processNote(db: Queryable, noteId: string, stages: readonly NotePipelineStage[], attempt: { final: boolean }): Promise<'processed' | 'skipped'> {
  if (!(await claimNoteForProcessing(db, noteId, NOTE_PIPELINE_VERSION))) return 'skipped';
  const note = await findNote(db, noteId);
  if (!note) return 'skipped';
  try {
    const results = await runNoteStages(note, stages);
    await completeNoteProcessing(db, note.id, NOTE_PIPELINE_VERSION, stageResultsJson(results));
    return 'processed';
  } catch (error) {
    if (attempt.final) await failNoteProcessing(db, note.id, (error as Error).message.slice(0, 500));
    throw error;
  }
}

/**
 * Enqueues every note not yet processed at the current pipeline version (failed ones excepted), in batches; job
 * ids are deterministic, so notes already waiting are not duplicated. Returns how many were enqueued.
 */
export async function enqueueUnfinishedNotes(runtime: Runtime, batchSize = 500): Promise<number> {
  let after: { createdAt: Date; id: string } | undefined;
  let count = 0;
  for (;;) {
    const batch = await listUnfinishedNotes(runtime.db, NOTE_PIPELINE_VERSION, batchSize, after);
    for (const note of batch) await enqueueNotePipeline(runtime, note.id, null);
    count += batch.length;
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1];
  }
  return count;
}

/** Whether more than `count` notes are unfinished at the current pipeline version; reads at most `count + 1` rows. */
export async function moreUnfinishedNotesThan(db: Queryable, count: number): Promise<boolean> {
  return (await listUnfinishedNotes(db, NOTE_PIPELINE_VERSION, count + 1)).length > count;
}

/**
 * Sends failed notes back to the pipeline (after the cause is fixed): all of them, or those of `ids` that failed.
 * Returns the notes marked pending again; the caller enqueues or processes them.
 */
export const retryFailedNotes = (db: Queryable, ids?: readonly string[]): Promise<Array<{ id: string; patientId: string }>> =>
  requeueFailedNotes(db, NOTE_PIPELINE_VERSION, ids);
