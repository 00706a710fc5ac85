import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import type { CodeDecision, CodeReview, EditOverride, FinalCode, ReviewedCodeSet, ReviewSubject, StoredDecision, WorklistFilter, WorklistItem } from './types.ts';

const reviewColumns = `r.id, r.note_id AS "noteId", r.encounter_id AS "encounterId", r.patient_id AS "patientId", r.version, r.code_set_version AS "codeSetVersion",
  r.ranker_version AS "rankerVersion", r.final_codes AS "finalCodes", r.overrides, r.actor_key_id AS "actorKeyId", r.actor_label AS "actorLabel",
  r.created_at AS "createdAt"`;

const subjectColumn = (subject: ReviewSubject) => (subject.encounterId ? 'encounter_id' : 'note_id');
const subjectId = (subject: ReviewSubject) => (subject.encounterId ?? subject.noteId)!;

/**
 * Stores a new version of a note's or an encounter's final code set with the decisions and overrides behind it,
 * atomically. A decision is stored against the note its suggestion came from (the subject note, or for an
 * encounter the note of its evidence, else the encounter's first note).
 */
export async function insertCodeReview(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  review: {
    subject: ReviewSubject;
    patientId: string;
    /** For encounter reviews: the note decisions without evidence are stored against. */
    defaultNoteId: string;
    codeSetVersion: string;
    rankerVersion: string | null;
    finalCodes: FinalCode[];
    overrides: EditOverride[];
    actor: { keyId: string | null; label: string };
    decisions: CodeDecision[];
  },
): Promise<CodeReview> {
  const column = subjectColumn(review.subject);
  const id = subjectId(review.subject);
  return db.transaction(async (tx) => {
    // Serialise reviews of one subject so versions are consecutive.
    await tx.query(`SELECT id FROM ${review.subject.encounterId ? 'encounters' : 'notes'} WHERE id = $1 FOR UPDATE`, [id]);
    const next = (await tx.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int + 1 AS v FROM code_reviews WHERE ${column} = $1`, [id]))[0]!.v;
    const reviewId = randomUUID();
    const rows = await tx.query<Omit<CodeReview, 'decisions'>>(
      `INSERT INTO code_reviews AS r (id, note_id, encounter_id, patient_id, version, code_set_version, ranker_version, final_codes, overrides, actor_key_id, actor_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11) RETURNING ${reviewColumns}`,
      [
        reviewId,
        review.subject.noteId,
        review.subject.encounterId,
        review.patientId,
        next,
        review.codeSetVersion,
        review.rankerVersion,
        JSON.stringify(review.finalCodes),
        JSON.stringify(review.overrides),
        review.actor.keyId,
        review.actor.label,
      ],
    );
    for (const d of review.decisions) {
      await tx.query(
        `INSERT INTO code_decisions (id, review_id, note_id, encounter_id, action, suggested_code, final_code, reason, suggested_score, sequence, poa)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          randomUUID(),
          reviewId,
          review.subject.noteId ?? d.noteId ?? review.defaultNoteId,
          review.subject.encounterId,
          d.action,
          d.suggestedCode,
          d.finalCode,
          d.reason,
          d.suggestedScore,
          d.sequence ?? null,
          d.poa ?? null,
        ],
      );
    }
    return { ...rows[0]!, decisions: review.decisions };
  });
}

/** All versions of a note's or an encounter's final code set, newest first, with their decisions in the order made. */
export async function listCodeReviews(db: Queryable, subject: ReviewSubject): Promise<CodeReview[]> {
  const column = subjectColumn(subject);
  const reviews = await db.query<Omit<CodeReview, 'decisions'>>(
    `SELECT ${reviewColumns} FROM code_reviews r WHERE r.${column} = $1 ORDER BY r.version DESC`,
    [subjectId(subject)],
  );
  if (reviews.length === 0) return [];
  const decisions = await db.query<CodeDecision & { reviewId: string }>(
    `SELECT d.review_id AS "reviewId", d.action, d.suggested_code AS "suggestedCode", d.final_code AS "finalCode", d.reason,
            d.suggested_score AS "suggestedScore", d.sequence, d.poa, d.note_id AS "noteId"
     FROM code_decisions d JOIN code_reviews r ON r.id = d.review_id WHERE r.${column} = $1 ORDER BY d.created_at, d.id`,
    [subjectId(subject)],
  );
  return reviews.map((r) => ({ ...r, decisions: decisions.filter((d) => d.reviewId === r.id).map(({ reviewId: _r, ...d }) => d) }));
}

/**
 * Encounters whose notes are all processed, and notes without an encounter, awaiting review (no final code set
 * yet) or reviewed; oldest first by the arrival of their last note.
 */
export async function listCodingWorklist(db: Queryable, filter: WorklistFilter, page: PageRequest): Promise<Page<WorklistItem>> {
  const params: unknown[] = [];
  const where = ['w.unprocessed = 0', filter.status === 'awaiting' ? 'w."reviewVersion" IS NULL' : 'w."reviewVersion" IS NOT NULL'];
  if (filter.type) {
    params.push(filter.type);
    where.push(`w.type = $${params.length}`);
  }
  if (filter.kind) {
    params.push(filter.kind);
    where.push(`$${params.length} = ANY (w.kinds)`);
  }
  if (filter.patientId) {
    params.push(filter.patientId);
    where.push(`w."patientId" = $${params.length}`);
  }
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    where.push(`(w."waitingSince", w.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(page.limit + 1);
  const proposed = (notesFilter: string) =>
    `(SELECT coalesce(array_agg(DISTINCT s ->> 'code'), '{}') FROM notes pn, jsonb_array_elements(coalesce(pn.results -> 'codes' -> 'suggestions', '[]'::jsonb)) s
      WHERE ${notesFilter} AND (s ->> 'proposed')::boolean)`;
  // `id` (the encounter's, or the note's) is the keyset tiebreaker.
  const rows = await db.query<WorklistItem & { id: string }>(
    `SELECT w.*, p.mrn, p.name, p.sex, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate" FROM (
       SELECT e.id, e.id AS "encounterId", NULL::uuid AS "noteId", e.patient_id AS "patientId", e.type, e.start_at AS "start", e.end_at AS "end",
              max(n.created_at) AS "waitingSince", count(*)::int AS "noteCount", count(*) FILTER (WHERE n.status <> 'processed')::int AS unprocessed,
              array_agg(DISTINCT n.kind) AS kinds,
              ${proposed('pn.encounter_id = e.id')} AS "proposedCodes",
              (SELECT max(version) FROM code_reviews WHERE encounter_id = e.id) AS "reviewVersion"
       FROM encounters e JOIN notes n ON n.encounter_id = e.id GROUP BY e.id
       UNION ALL
       SELECT n.id, NULL::uuid, n.id, n.patient_id, 'outpatient', n.authored_at, n.authored_at, n.created_at, 1, (n.status <> 'processed')::int,
              ARRAY[n.kind], ${proposed('pn.id = n.id')},
              (SELECT max(version) FROM code_reviews WHERE note_id = n.id)
       FROM notes n WHERE n.encounter_id IS NULL
     ) w JOIN patients p ON p.id = w."patientId"
     WHERE ${where.join(' AND ')}
     ORDER BY w."waitingSince", w.id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (r) => [r.waitingSince, r.id]);
}

/** The latest final code set of every reviewed note or encounter (optionally since a time), for export. */
export async function listFinalCodeSets(db: Queryable, filter: { since?: Date | undefined; patientId?: string | undefined }): Promise<ReviewedCodeSet[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.since) {
    params.push(filter.since);
    where.push(`r.created_at >= $${params.length}`);
  }
  if (filter.patientId) {
    params.push(filter.patientId);
    where.push(`r.patient_id = $${params.length}`);
  }
  return db.query<ReviewedCodeSet>(
    `SELECT DISTINCT ON (coalesce(r.encounter_id, r.note_id)) r.note_id AS "noteId", r.encounter_id AS "encounterId", r.patient_id AS "patientId", p.mrn,
            coalesce(e.type, 'outpatient') AS "encounterType", coalesce(e.start_at, n.authored_at) AS "start", coalesce(e.end_at, n.authored_at) AS "end",
            e.external_id AS "externalId",
            coalesce((SELECT array_agg(en.id ORDER BY en.authored_at, en.id) FROM notes en WHERE en.encounter_id = r.encounter_id), ARRAY[r.note_id]) AS "noteIds",
            r.version, r.code_set_version AS "codeSetVersion", r.final_codes AS "finalCodes", r.actor_label AS "reviewedBy", r.created_at AS "reviewedAt"
     FROM code_reviews r JOIN patients p ON p.id = r.patient_id LEFT JOIN notes n ON n.id = r.note_id LEFT JOIN encounters e ON e.id = r.encounter_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY coalesce(r.encounter_id, r.note_id), r.version DESC`,
    params,
  );
}

/** Every decision with its note text and the suggestion's evidence: training signal for the ranker. */
export async function listDecisionsForLearning(db: Queryable): Promise<StoredDecision[]> {
  return db.query(
    `SELECT d.note_id AS "noteId", n.text, d.action, d.suggested_code AS "suggestedCode", d.final_code AS "finalCode",
            (SELECT jsonb_agg(jsonb_build_object('start', (e.span->>'start')::int, 'end', (e.span->>'end')::int) ORDER BY s.n, e.n)
             FROM jsonb_array_elements(n.results->'codes'->'suggestions') WITH ORDINALITY s(suggestion, n),
                  jsonb_array_elements(s.suggestion->'evidence') WITH ORDINALITY e(span, n)
             WHERE s.suggestion->>'code' = d.suggested_code) AS "suggestedEvidence"
     FROM code_decisions d JOIN notes n ON n.id = d.note_id WHERE d.action <> 'leave' ORDER BY d.created_at, d.id`,
  );
}
