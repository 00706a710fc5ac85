import type { Queryable } from '../db/database.ts';

export interface ImportRecord {
  sourceKey: string;
  patientId: string;
  noteId: string | null;
  contentHash: string;
}

export async function findImport(db: Queryable, sourceKey: string): Promise<ImportRecord | undefined> {
  return (
    await db.query<ImportRecord>(
      `SELECT source_key AS "sourceKey", patient_id AS "patientId", note_id AS "noteId", content_hash AS "contentHash"
       FROM history_imports WHERE source_key = $1`,
      [sourceKey],
    )
  )[0];
}

/** The import records of these source units, by key. */
export async function findImports(db: Queryable, sourceKeys: readonly string[]): Promise<Map<string, ImportRecord>> {
  const rows = await db.query<ImportRecord>(
    `SELECT source_key AS "sourceKey", patient_id AS "patientId", note_id AS "noteId", content_hash AS "contentHash"
     FROM history_imports WHERE source_key = ANY($1::text[])`,
    [sourceKeys],
  );
  return new Map(rows.map((r) => [r.sourceKey, r]));
}

export async function saveImport(db: Queryable, record: ImportRecord): Promise<void> {
  await db.query(
    `INSERT INTO history_imports (source_key, patient_id, note_id, content_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source_key) DO UPDATE SET patient_id = excluded.patient_id, note_id = excluded.note_id,
       content_hash = excluded.content_hash, imported_at = now()`,
    [record.sourceKey, record.patientId, record.noteId, record.contentHash],
  );
}

/** Removes a note an earlier import created and a newer import replaces (its passages and facts go with it). */
export async function deleteImportedNote(db: Queryable, noteId: string): Promise<void> {
  await db.query(`DELETE FROM notes WHERE id = $1 AND source = 'import'`, [noteId]);
}

