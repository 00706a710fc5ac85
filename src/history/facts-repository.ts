import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Fact, FactDraft, FactKind, FactOrigin } from './types.ts';

const columns = `id, patient_id AS "patientId", note_id AS "noteId", origin, kind, codes, display, status, negated, uncertain,
  historical, hypothetical, family, value, unit, value_text AS "valueText", observed_at AS "observedAt",
  start_offset AS start, end_offset AS "end", source_ref AS "sourceRef", detail`;

/** Replaces the facts one source (note structuring or an import) stated in a note; call inside a transaction. */
export async function replaceNoteFacts(
  tx: Queryable,
  owner: { patientId: string; noteId: string; origin: FactOrigin },
  facts: readonly FactDraft[],
): Promise<void> {
  await tx.query('DELETE FROM history_facts WHERE note_id = $1 AND origin = $2', [owner.noteId, owner.origin]);
  if (facts.length === 0) return;
  await tx.query(
    `INSERT INTO history_facts (id, patient_id, note_id, origin, kind, codes, display, status, negated, uncertain, historical,
       hypothetical, family, value, unit, value_text, observed_at, start_offset, end_offset, source_ref, detail)
     SELECT f.id, $1, $2, $3, f.kind, f.codes::text[], f.display, f.status, f.negated, f.uncertain, f.historical, f.hypothetical,
       f.family, f.value, f.unit, f.value_text, f.observed_at, f.start_offset, f.end_offset, f.source_ref, f.detail::jsonb
     FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::boolean[], $11::boolean[],
       $12::boolean[], $13::boolean[], $14::float8[], $15::text[], $16::text[], $17::timestamptz[], $18::integer[], $19::integer[],
       $20::text[], $21::text[])
       AS f(id, kind, codes, display, status, negated, uncertain, historical, hypothetical, family, value, unit, value_text,
         observed_at, start_offset, end_offset, source_ref, detail)`,
    [
      owner.patientId,
      owner.noteId,
      owner.origin,
      facts.map(() => randomUUID()),
      facts.map((f) => f.kind),
      // Text form of each code array: unnest cannot take an array of arrays of different lengths.
      facts.map((f) => `{${f.codes.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(',')}}`),
      facts.map((f) => f.display),
      facts.map((f) => f.status),
      facts.map((f) => f.negated),
      facts.map((f) => f.uncertain),
      facts.map((f) => f.historical),
      facts.map((f) => f.hypothetical),
      facts.map((f) => f.family),
      facts.map((f) => f.value),
      facts.map((f) => f.unit),
      facts.map((f) => f.valueText),
      facts.map((f) => f.observedAt),
      facts.map((f) => f.start),
      facts.map((f) => f.end),
      facts.map((f) => f.sourceRef),
      facts.map((f) => JSON.stringify(f.detail)),
    ],
  );
}

/** A patient's facts (optionally of some kinds), oldest first. */
export async function listPatientFacts(db: Queryable, patientId: string, kinds?: readonly FactKind[]): Promise<Fact[]> {
  return db.query<Fact>(
    `SELECT ${columns} FROM history_facts WHERE patient_id = $1 AND ($2::text[] IS NULL OR kind = ANY($2))
     ORDER BY observed_at, note_id, start_offset`,
    [patientId, kinds ?? null],
  );
}
