import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { ReviewedNoteCodes } from '../icd10/export.ts';
import type { StoredDecision } from '../icd10/training/decisions.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from './page.ts';

export type DecisionAction = 'accept' | 'reject' | 'replace' | 'add';

export interface FinalCode {
  code: string;
  title: string;
  /** How the code got into the final set. */
  origin: 'accepted' | 'replacement' | 'added';
  /** The suggestion it came from (for accepted and replacement codes). */
  suggestedCode: string | null;
}

export interface CodeDecision {
  action: DecisionAction;
  suggestedCode: string | null;
  finalCode: string | null;
  reason: string | null;
  suggestedScore: number | null;
}

export interface CodeReview {
  id: string;
  noteId: string;
  patientId: string;
  version: number;
  codeSetVersion: string;
  rankerVersion: string | null;
  finalCodes: FinalCode[];
  actorKeyId: string | null;
  actorLabel: string;
  createdAt: Date;
  decisions: CodeDecision[];
}

const reviewColumns = `r.id, r.note_id AS "noteId", r.patient_id AS "patientId", r.version, r.code_set_version AS "codeSetVersion",
  r.ranker_version AS "rankerVersion", r.final_codes AS "finalCodes", r.actor_key_id AS "actorKeyId", r.actor_label AS "actorLabel",
  r.created_at AS "createdAt"`;

/** Stores a new version of a note's final code set with the decisions behind it, atomically. */
export async function insertCodeReview(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  review: {
    noteId: string;
    patientId: string;
    codeSetVersion: string;
    rankerVersion: string | null;
    finalCodes: FinalCode[];
    actor: { keyId: string | null; label: string };
    decisions: CodeDecision[];
  },
): Promise<CodeReview> {
  return db.transaction(async (tx) => {
    // Serialise reviews of one note so versions are consecutive.
    await tx.query('SELECT id FROM notes WHERE id = $1 FOR UPDATE', [review.noteId]);
    const next = (await tx.query<{ v: number }>('SELECT coalesce(max(version), 0)::int + 1 AS v FROM code_reviews WHERE note_id = $1', [review.noteId]))[0]!.v;
    const id = randomUUID();
    const rows = await tx.query<Omit<CodeReview, 'decisions'>>(
      `INSERT INTO code_reviews AS r (id, note_id, patient_id, version, code_set_version, ranker_version, final_codes, actor_key_id, actor_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING ${reviewColumns}`,
      [id, review.noteId, review.patientId, next, review.codeSetVersion, review.rankerVersion, JSON.stringify(review.finalCodes), review.actor.keyId, review.actor.label],
    );
    for (const d of review.decisions) {
      await tx.query(
        `INSERT INTO code_decisions (id, review_id, note_id, action, suggested_code, final_code, reason, suggested_score)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [randomUUID(), id, review.noteId, d.action, d.suggestedCode, d.finalCode, d.reason, d.suggestedScore],
      );
    }
    return { ...rows[0]!, decisions: review.decisions };
  });
}

/** All versions of a note's final code set, newest first, with their decisions. */
export async function listNoteCodeReviews(db: Queryable, noteId: string): Promise<CodeReview[]> {
  const reviews = await db.query<Omit<CodeReview, 'decisions'>>(
    `SELECT ${reviewColumns} FROM code_reviews r WHERE r.note_id = $1 ORDER BY r.version DESC`,
    [noteId],
  );
  if (reviews.length === 0) return [];
  const decisions = await db.query<CodeDecision & { reviewId: string }>(
    `SELECT review_id AS "reviewId", action, suggested_code AS "suggestedCode", final_code AS "finalCode", reason, suggested_score AS "suggestedScore"
     FROM code_decisions WHERE note_id = $1 ORDER BY created_at, id`,
    [noteId],
  );
  return reviews.map((r) => ({ ...r, decisions: decisions.filter((d) => d.reviewId === r.id).map(({ reviewId: _r, ...d }) => d) }));
}

export interface WorklistItem {
  noteId: string;
  patientId: string;
  mrn: string;
  kind: string;
  authoredAt: Date;
  createdAt: Date;
  suggestionCount: number;
  reviewVersion: number | null;
}

/** Processed notes awaiting review (no final code set yet) or already reviewed, oldest first. */
export async function listCodingWorklist(
  db: Queryable,
  filter: { status: 'awaiting' | 'reviewed'; kind?: string | undefined; patientId?: string | undefined },
  page: PageRequest,
): Promise<Page<WorklistItem>> {
  const params: unknown[] = [];
  const where = [`n.status = 'processed'`, filter.status === 'awaiting' ? 'rv.version IS NULL' : 'rv.version IS NOT NULL'];
  if (filter.kind) {
    params.push(filter.kind);
    where.push(`n.kind = $${params.length}`);
  }
  if (filter.patientId) {
    params.push(filter.patientId);
    where.push(`n.patient_id = $${params.length}`);
  }
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    where.push(`(n.created_at, n.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<WorklistItem>(
    `SELECT n.id AS "noteId", n.patient_id AS "patientId", p.mrn, n.kind, n.authored_at AS "authoredAt", n.created_at AS "createdAt",
            coalesce(jsonb_array_length(n.results -> 'codes' -> 'suggestions'), 0)::int AS "suggestionCount", rv.version AS "reviewVersion"
     FROM notes n
     JOIN patients p ON p.id = n.patient_id
     LEFT JOIN LATERAL (SELECT max(version) AS version FROM code_reviews WHERE note_id = n.id) rv ON true
     WHERE ${where.join(' AND ')}
     ORDER BY n.created_at, n.id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (r) => [r.createdAt, r.noteId]);
}

/** The latest final code set of every reviewed note (optionally since a time), for export. */
export async function listFinalCodeSets(db: Queryable, filter: { since?: Date | undefined; patientId?: string | undefined }): Promise<ReviewedNoteCodes[]> {
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
  return db.query<ReviewedNoteCodes>(
    `SELECT DISTINCT ON (r.note_id) r.note_id AS "noteId", r.patient_id AS "patientId", p.mrn, n.authored_at AS "authoredAt", r.version,
            r.code_set_version AS "codeSetVersion", r.final_codes AS "finalCodes", r.actor_label AS "reviewedBy", r.created_at AS "reviewedAt"
     FROM code_reviews r JOIN notes n ON n.id = r.note_id JOIN patients p ON p.id = r.patient_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY r.note_id, r.version DESC`,
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
     FROM code_decisions d JOIN notes n ON n.id = d.note_id ORDER BY d.created_at, d.id`,
  );
}
