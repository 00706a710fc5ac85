import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import type { NewNote, Note, NoteSummary } from './types.ts';

const summaryColumns = `id, patient_id AS "patientId", kind, setting, author, authored_at AS "authoredAt", source, status,
  pipeline_version AS "pipelineVersion", processed_version AS "processedVersion", error,
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const columns = `${summaryColumns}, text, results`;

export async function insertNote(db: Queryable, note: NewNote): Promise<Note> {
  const rows = await db.query<Note>(
    `INSERT INTO notes (id, patient_id, kind, author, authored_at, source, text, status, pipeline_version, setting)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) ON CONFLICT (id) DO NOTHING RETURNING ${columns}`,
    [note.id ?? randomUUID(), note.patientId, note.kind, note.author, note.authoredAt, note.source, note.text, note.pipelineVersion, note.setting ?? null],
  );
  return rows[0] ?? (await findNote(db, note.id!))!;
}

export async function findNote(db: Queryable, id: string): Promise<Note | undefined> {
  return (await db.query<Note>(`SELECT ${columns} FROM notes WHERE id = $1`, [id]))[0];
}

/**
 * Which version of a note row was read: the row's `xmin` (the transaction that wrote this version; every UPDATE
 * writes a new one) with its `updated_at`, so a reader can tell whether something it rendered from the row is current.
 */
const rowVersion = `xmin::text || '@' || updated_at::text AS "rowVersion"`;

/** A note with its results as the stored JSON text, for answers that pass them on without reading them. */
export type NoteWithResultsJson = Omit<Note, 'results'> & { resultsJson: string; rowVersion: string };

/** `results::text` makes both drivers hand back the text as stored instead of parsing it into objects. */
export async function findNoteWithResultsJson(db: Queryable, id: string): Promise<NoteWithResultsJson | undefined> {
  return (
    await db.query<NoteWithResultsJson>(`SELECT ${summaryColumns}, text, results::text AS "resultsJson", ${rowVersion} FROM notes WHERE id = $1`, [id])
  )[0];
}

/** The note's patient and current row version, without its text and results. */
export async function findNoteVersion(db: Queryable, id: string): Promise<{ patientId: string; rowVersion: string } | undefined> {
  return (await db.query<{ patientId: string; rowVersion: string }>(`SELECT patient_id AS "patientId", ${rowVersion} FROM notes WHERE id = $1`, [id]))[0];
}

export async function listPatientNotes(db: Queryable, patientId: string, page: PageRequest): Promise<Page<NoteSummary>> {
  const params: unknown[] = [patientId];
  let keyset = '';
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    keyset = `AND (authored_at, id) < ($2::timestamptz, $3::uuid)`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<NoteSummary>(
    `SELECT ${summaryColumns} FROM notes WHERE patient_id = $1 ${keyset}
     ORDER BY authored_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (n) => [n.authoredAt, n.id]);
}

/** Claims a note for processing; false when it is gone or already processed at this version. */
export async function claimNoteForProcessing(db: Queryable, id: string, pipelineVersion: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE notes SET status = 'processing', pipeline_version = $2, updated_at = now()
     WHERE id = $1 AND NOT (status = 'processed' AND processed_version = $2) RETURNING id`,
    [id, pipelineVersion],
  );
  return rows.length > 0;
}

export async function completeNoteProcessing(
  db: Queryable,
  id: string,
  pipelineVersion: string,
  /** The stages' outputs as one JSON object text. */
  resultsJson: string,
): Promise<void> {
  await db.query(
    `UPDATE notes SET status = 'processed', processed_version = $2, results = $3::jsonb, error = NULL, updated_at = now()
     WHERE id = $1`,
    [id, pipelineVersion, resultsJson],
  );
}

export async function failNoteProcessing(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE notes SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [id, error]);
}

/** Notes the pipeline has not finished at the given version (the reconciler's work list), oldest first. */
export async function listUnfinishedNotes(
  db: Queryable,
  pipelineVersion: string,
  limit: number,
  after?: { createdAt: Date; id: string },
): Promise<Array<{ id: string; createdAt: Date }>> {
  return db.query(
    `SELECT id, created_at AS "createdAt" FROM notes
     WHERE (status <> 'processed' OR processed_version IS DISTINCT FROM $1) AND status <> 'failed'
       AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
     ORDER BY created_at, id LIMIT $4`,
    [pipelineVersion, after?.createdAt ?? null, after?.id ?? null, limit],
  );
}

/** How many of these notes the pipeline has not finished (neither processed nor failed). */
export async function countUnfinishedNotes(db: Queryable, noteIds: readonly string[]): Promise<{ unfinished: number; failed: number }> {
  if (noteIds.length === 0) return { unfinished: 0, failed: 0 };
  const rows = await db.query<{ unfinished: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE status NOT IN ('processed', 'failed')) AS unfinished, count(*) FILTER (WHERE status = 'failed') AS failed
     FROM notes WHERE id = ANY($1::uuid[])`,
    [noteIds],
  );
  return { unfinished: Number(rows[0]?.unfinished ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}

/**
 * Sends failed notes back to the pipeline (after the cause is fixed): all of them, or those of `ids` that failed.
 * The reconciler leaves failed notes alone, so this is the way back. Returns the notes requeued.
 */
export async function requeueFailedNotes(db: Queryable, pipelineVersion: string, ids?: readonly string[]): Promise<Array<{ id: string; patientId: string }>> {
  return db.query(
    `UPDATE notes SET status = 'pending', pipeline_version = $1, error = NULL, updated_at = now()
     WHERE status = 'failed' AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
     RETURNING id, patient_id AS "patientId"`,
    [pipelineVersion, ids ? [...ids] : null],
  );
}
