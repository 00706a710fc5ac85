import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { EncounterType } from '../coding/types.ts';

import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import type { Note } from '../notes/types.ts';
import type { Encounter } from './types.ts';

const columns = `e.id, e.patient_id AS "patientId", e.type, e.start_at AS "start", e.end_at AS "end", e.external_id AS "externalId", e.created_at AS "createdAt"`;

export interface NewEncounter {
  patientId: string;
  type: EncounterType;
  start: Date;
  end: Date | null;
  externalId: string | null;
}

/** Creates an encounter; with an external id already known for the patient, returns that one (`created` false). */
export async function insertEncounter(db: Queryable, e: NewEncounter): Promise<{ encounter: Encounter; created: boolean }> {
  const rows = await db.query<Encounter>(
    `INSERT INTO encounters AS e (id, patient_id, type, start_at, end_at, external_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (patient_id, external_id) WHERE external_id IS NOT NULL DO NOTHING RETURNING ${columns}`,
    [randomUUID(), e.patientId, e.type, e.start, e.end, e.externalId],
  );
  if (rows[0]) return { encounter: rows[0], created: true };
  const existing = await db.query<Encounter>(`SELECT ${columns} FROM encounters e WHERE e.patient_id = $1 AND e.external_id = $2`, [e.patientId, e.externalId]);
  return { encounter: existing[0]!, created: false };
}

export async function findEncounter(db: Queryable, id: string): Promise<Encounter | undefined> {
  return (await db.query<Encounter>(`SELECT ${columns} FROM encounters e WHERE e.id = $1`, [id]))[0];
}

/** A patient's encounters, latest first. */
export async function listPatientEncounters(db: Queryable, patientId: string, page: PageRequest): Promise<Page<Encounter>> {
  const params: unknown[] = [patientId];
  let keyset = '';
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    keyset = `AND (e.start_at, e.id) < ($2::timestamptz, $3::uuid)`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<Encounter>(
    `SELECT ${columns} FROM encounters e WHERE e.patient_id = $1 ${keyset} ORDER BY e.start_at DESC, e.id DESC LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (e) => [e.start, e.id]);
}

/** Puts a note in an encounter (or takes it out with null). */
export async function setNoteEncounter(db: Queryable, noteId: string, encounterId: string | null): Promise<void> {
  await db.query('UPDATE notes SET encounter_id = $2 WHERE id = $1', [noteId, encounterId]);
}

/** The encounter a note belongs to, if any. */
export async function noteEncounterId(db: Queryable, noteId: string): Promise<string | null> {
  return (await db.query<{ id: string | null }>('SELECT encounter_id AS id FROM notes WHERE id = $1', [noteId]))[0]?.id ?? null;
}

/** An encounter's notes with their text and results, oldest first. */
export async function listEncounterNotes(db: Queryable, encounterId: string): Promise<Note[]> {
  return db.query<Note>(
    `SELECT id, patient_id AS "patientId", kind, author, authored_at AS "authoredAt", source, status, pipeline_version AS "pipelineVersion",
            processed_version AS "processedVersion", error, created_at AS "createdAt", updated_at AS "updatedAt", text, results
     FROM notes WHERE encounter_id = $1 ORDER BY authored_at, id`,
    [encounterId],
  );
}
