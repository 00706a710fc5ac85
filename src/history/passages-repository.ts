import type { Queryable } from '../db/database.ts';
import pgvector from 'pgvector';
import { isUniqueViolation } from '../db/database.ts';
import type { ConceptMention, PassageScores } from './types.ts';

/** A vector parameter in pgvector's text form, for an explicit `$n::vector` cast (the same on pg and PGlite). */
const vectorParam = (vector: Float32Array): string => pgvector.toSql(Array.from(vector))!;

/** The text search configuration of every tsvector and tsquery (stemming, stop words). */
const TS_CONFIG = 'english';

export interface NewPassage {
  ordinal: number;
  section: string;
  start: number;
  end: number;
  text: string;
  mentions: ConceptMention[];
  embedding: Float32Array | null;
}

export interface PassageOwner {
  patientId: string;
  noteId: string;
  noteDate: Date;
  noteKind: string;
}

export interface EmbeddingModelRef {
  modelId: string;
  dimension: number;
}

/** Inserts passages with one statement (column arrays unnested), deriving the full-text vector in SQL. */
async function insertPassages(db: Queryable, owner: PassageOwner, passages: readonly NewPassage[], model: EmbeddingModelRef | null): Promise<void> {
  if (passages.length === 0) return;
  await db.query(
    `INSERT INTO history_passages (patient_id, note_id, ordinal, note_date, note_kind, section, start_offset, end_offset, text,
       search_text, mentions, embedding, model_id, dimension)
     SELECT $1, $2, p.ordinal, $3, $4, p.section, p.start_offset, p.end_offset, p.text,
       to_tsvector('${TS_CONFIG}', p.text), p.mentions::jsonb, p.embedding::vector,
       CASE WHEN p.embedding IS NULL THEN NULL ELSE $5 END, CASE WHEN p.embedding IS NULL THEN NULL ELSE $6::integer END
     FROM unnest($7::integer[], $8::text[], $9::integer[], $10::integer[], $11::text[], $12::text[], $13::text[])
       AS p(ordinal, section, start_offset, end_offset, text, mentions, embedding)`,
    [
      owner.patientId,
      owner.noteId,
      owner.noteDate,
      owner.noteKind,
      model?.modelId ?? null,
      model?.dimension ?? null,
      passages.map((p) => p.ordinal),
      passages.map((p) => p.section),
      passages.map((p) => p.start),
      passages.map((p) => p.end),
      passages.map((p) => p.text),
      passages.map((p) => JSON.stringify(p.mentions)),
      passages.map((p) => (p.embedding && model ? vectorParam(p.embedding) : null)),
    ],
  );
}

/** Replaces every passage of a note; call inside a transaction so searches never see a half-indexed note. */
export async function replaceNotePassages(
  tx: Queryable,
  owner: PassageOwner,
  passages: readonly NewPassage[],
  model: EmbeddingModelRef | null,
): Promise<void> {
  await tx.query('DELETE FROM history_passages WHERE note_id = $1', [owner.noteId]);
  await insertPassages(tx, owner, passages, model);
}

export interface PassageFilter {
  since?: Date | undefined;
  until?: Date | undefined;
  sections?: readonly string[] | undefined;
  kinds?: readonly string[] | undefined;
}

const filterParams = (filter: PassageFilter) => [filter.since ?? null, filter.until ?? null, filter.sections ?? null, filter.kinds ?? null];
/** Filter conditions over the four parameters after `first` (since, until, sections, kinds). */
const filterSql = (first: number) =>
  `($${first}::timestamptz IS NULL OR note_date >= $${first}) AND ($${first + 1}::timestamptz IS NULL OR note_date < $${first + 1})
   AND ($${first + 2}::text[] IS NULL OR section = ANY($${first + 2})) AND ($${first + 3}::text[] IS NULL OR note_kind = ANY($${first + 3}))`;

/**
 * Every passage of one patient (after the filters) with its query-term frequencies and its exact cosine
 * distance to the query vector, in one simple statement (cheap to plan). The uncast `embedding <=> q` is served
 * by no approximate index: the patient's passages are found through the B-tree on patient_id and all compared.
 */
export async function scorePatientPassages(
  db: Queryable,
  patientId: string,
  query: { text: string | null; vector: Float32Array | null; modelId: string | null },
  filter: PassageFilter,
): Promise<PassageScores[]> {
  const rows = await db.query<{ id: string; length: number; distance: number | null; terms: Record<string, number> | null }>(
    `WITH q AS (SELECT array_agg(t.lexeme) AS lexemes FROM unnest(to_tsvector('${TS_CONFIG}', coalesce($6::text, ''))) AS t)
     SELECT p.id::text AS id, length(p.search_text) AS length,
       CASE WHEN p.model_id = $8 THEN p.embedding <=> $7::vector END AS distance,
       (SELECT json_object_agg(t.lexeme, cardinality(t.positions)) FROM unnest(p.search_text) AS t WHERE t.lexeme = ANY(q.lexemes)) AS terms
     FROM history_passages p CROSS JOIN q WHERE p.patient_id = $1 AND ${filterSql(2)}`,
    [patientId, ...filterParams(filter), query.text, query.vector ? vectorParam(query.vector) : null, query.modelId],
  );
  return rows.map((r) => ({ id: r.id, length: Number(r.length), distance: r.distance === null ? null : Number(r.distance), termFrequencies: r.terms ?? {} }));
}

export interface PassageHit {
  id: string;
  patientId: string;
  noteId: string;
  noteDate: Date;
  noteKind: string;
  section: string;
  start: number;
  end: number;
  text: string;
  mentions: ConceptMention[];
  /** ts_headline rendering with every query-word match between control-character markers. */
  marked: string | null;
}

/** The stored passages with these ids, each with its query-word matches marked. */
export async function loadPassageHits(db: Queryable, ids: readonly string[], queryText: string | null, markers: [string, string]): Promise<PassageHit[]> {
  if (ids.length === 0) return [];
  return db.query<PassageHit>(
    `WITH matcher AS (
       SELECT string_agg(quote_literal(t.lexeme), ' | ')::tsquery AS query
       FROM unnest(to_tsvector('${TS_CONFIG}', coalesce($2::text, ''))) AS t
     )
     SELECT p.id::text, p.patient_id AS "patientId", p.note_id AS "noteId", p.note_date AS "noteDate", p.note_kind AS "noteKind",
       p.section, p.start_offset AS start, p.end_offset AS "end", p.text, p.mentions,
       CASE WHEN m.query IS NULL THEN NULL
         ELSE ts_headline('${TS_CONFIG}', p.text, m.query, 'HighlightAll=true, StartSel=' || $3 || ', StopSel=' || $4) END AS marked
     FROM history_passages p CROSS JOIN matcher m WHERE p.id = ANY($1::bigint[])`,
    [ids, queryText, markers[0], markers[1]],
  );
}

/** A patient's newest passages (no query: browsing by date, section or note kind). */
export async function listNewestPassageIds(db: Queryable, patientId: string, filter: PassageFilter, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id::text FROM history_passages WHERE patient_id = $1 AND ${filterSql(2)}
     ORDER BY note_date DESC, note_id, ordinal LIMIT $6`,
    [patientId, ...filterParams(filter), limit],
  );
  return rows.map((r) => r.id);
}

/**
 * The HNSW index for cross-patient search over vectors of one dimension: a partial expression index
 * (pgvector's recipe for several dimensions in one column). Built once per dimension; on a populated table
 * this takes a while, so it is created when a model is first indexed or by the reindex. ef_construction 128
 * (pgvector's default is 64): on 100k bench passages it raised recall@10 at ef_search 200 from 0.92 to 0.95.
 */
export async function ensureCohortIndex(db: Queryable, dimension: number): Promise<void> {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 2000) throw new RangeError(`bad vector dimension ${dimension}`);
  try {
    await db.query(
      `CREATE INDEX IF NOT EXISTS history_passages_hnsw_${dimension} ON history_passages
       USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = ${dimension}`,
    );
  } catch (error) {
    // IF NOT EXISTS does not cover a concurrent CREATE (two workers indexing their first notes at once): the
    // loser waits for the winner's commit, then fails on pg_class's unique name. By then the index exists.
    if (!isUniqueViolation(error)) throw error;
  }
}

/** Candidates the HNSW scan keeps per query (pgvector's default is 40); 200 kept cohort search near 0.95 recall@10 at a few ms. */
export const DEFAULT_EF_SEARCH = 200;

export interface CohortCandidate {
  id: string;
  patientId: string;
  distance: number;
}

/** True when this database's pgvector has iterative index scans (0.8+). */
export async function supportsIterativeScan(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ version: string }>(`SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'`);
  const [major = 0, minor = 0] = (rows[0]?.version ?? '0.0').split('.').map(Number);
  return major > 0 || minor >= 8;
}

/**
 * Nearest passages across all patients through the HNSW index. With iterative scans (pgvector 0.8) the
 * index keeps scanning until `limit` rows pass the filters; without, filters apply to the first ef_search
 * candidates only and may return fewer rows. `exact` ranks by full scan instead (the recall reference).
 * Run inside a transaction: the scan settings are SET LOCAL.
 */
export async function nearestPassagesAcrossPatients(
  tx: Queryable,
  vector: Float32Array,
  model: EmbeddingModelRef,
  filter: PassageFilter,
  limit: number,
  options: { exact?: boolean; iterative: boolean; efSearch?: number },
): Promise<CohortCandidate[]> {
  const d = model.dimension;
  if (!Number.isInteger(d) || d < 1 || d > 2000) throw new RangeError(`bad vector dimension ${d}`);
  if (!options.exact) {
    if (options.iterative) await tx.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
    await tx.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(options.efSearch ?? DEFAULT_EF_SEARCH)]);
  }
  const distance = options.exact ? `embedding <=> $1::vector` : `embedding::vector(${d}) <=> $1::vector(${d})`;
  const rows = await tx.query<{ id: string; patientId: string; distance: number }>(
    `WITH nearest AS MATERIALIZED (
       SELECT id, patient_id, ${distance} AS distance FROM history_passages
       WHERE dimension = ${d} AND model_id = $2 AND ${filterSql(3)}
       ORDER BY ${distance} LIMIT $7
     )
     SELECT n.id::text AS id, n.patient_id AS "patientId", n.distance FROM nearest n ORDER BY n.distance, n.id`,
    [vectorParam(vector), model.modelId, ...filterParams(filter), limit],
  );
  return rows.map((r) => ({ ...r, distance: Number(r.distance) }));
}

/** BM25-style lexical scores of a few candidate passages (cohort re-ranking): term matches weighted by ts_rank_cd. */
export async function lexicalScores(db: Queryable, ids: readonly string[], queryText: string): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; score: number }>(
    `WITH matcher AS (
       SELECT string_agg(quote_literal(t.lexeme), ' | ')::tsquery AS query FROM unnest(to_tsvector('${TS_CONFIG}', $2::text)) AS t
     )
     SELECT p.id::text, ts_rank_cd(p.search_text, m.query, 1) AS score
     FROM history_passages p CROSS JOIN matcher m WHERE p.id = ANY($1::bigint[]) AND p.search_text @@ m.query`,
    [ids, queryText],
  );
  return new Map(rows.map((r) => [r.id, Number(r.score)]));
}

// ---- index state and re-embedding ----

export async function readIndexState(db: Queryable): Promise<EmbeddingModelRef | undefined> {
  return (await db.query<EmbeddingModelRef>(`SELECT model_id AS "modelId", dimension FROM history_index_state`))[0];
}

export async function writeIndexState(db: Queryable, model: EmbeddingModelRef): Promise<void> {
  await db.query(
    `INSERT INTO history_index_state (singleton, model_id, dimension) VALUES (true, $1, $2)
     ON CONFLICT (singleton) DO UPDATE SET model_id = excluded.model_id, dimension = excluded.dimension, updated_at = now()`,
    [model.modelId, model.dimension],
  );
}

export interface PassageToEmbed {
  id: string;
  section: string;
  text: string;
}

export interface ReindexScope {
  /** One patient, or everyone. */
  patientId?: string | undefined;
  /** Only passages not embedded with this model (else every passage). */
  staleFor?: string | undefined;
}

const scopeSql = (first: number) => `($${first}::uuid IS NULL OR patient_id = $${first}) AND ($${first + 1}::text IS NULL OR model_id IS DISTINCT FROM $${first + 1})`;

export async function countPassagesToEmbed(db: Queryable, scope: ReindexScope, afterId: string): Promise<number> {
  const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM history_passages WHERE id > $1 AND ${scopeSql(2)}`, [
    afterId,
    scope.patientId ?? null,
    scope.staleFor ?? null,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/** The next batch of passages to (re-)embed after a passage id, in id order. */
export async function nextPassagesToEmbed(db: Queryable, scope: ReindexScope, afterId: string, limit: number): Promise<PassageToEmbed[]> {
  return db.query<PassageToEmbed>(
    `SELECT p.id::text AS id, p.section, p.text FROM history_passages p WHERE p.id > $1 AND ${scopeSql(2)} ORDER BY p.id LIMIT $4`,
    [afterId, scope.patientId ?? null, scope.staleFor ?? null, limit],
  );
}

export async function updatePassageEmbeddings(
  db: Queryable,
  model: EmbeddingModelRef,
  rows: ReadonlyArray<{ id: string; embedding: Float32Array }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `UPDATE history_passages p SET embedding = u.embedding::vector, model_id = $1, dimension = $2
     FROM unnest($3::bigint[], $4::text[]) AS u(id, embedding) WHERE p.id = u.id`,
    [model.modelId, model.dimension, rows.map((r) => r.id), rows.map((r) => vectorParam(r.embedding))],
  );
}

export interface ReindexRun {
  scope: string;
  modelId: string;
  cursor: string;
  done: number;
  finishedAt: Date | null;
}

export async function findReindexRun(db: Queryable, scope: string): Promise<ReindexRun | undefined> {
  return (
    await db.query<ReindexRun>(
      `SELECT scope, model_id AS "modelId", cursor::text, done, finished_at AS "finishedAt" FROM history_reindex_runs WHERE scope = $1`,
      [scope],
    )
  )[0];
}

export async function startReindexRun(db: Queryable, scope: string, modelId: string): Promise<void> {
  await db.query(
    `INSERT INTO history_reindex_runs (scope, model_id) VALUES ($1, $2)
     ON CONFLICT (scope) DO UPDATE SET model_id = excluded.model_id, cursor = 0, done = 0, started_at = now(), finished_at = NULL`,
    [scope, modelId],
  );
}

export async function advanceReindexRun(db: Queryable, scope: string, cursor: string, done: number): Promise<void> {
  await db.query(`UPDATE history_reindex_runs SET cursor = $2, done = $3 WHERE scope = $1`, [scope, cursor, done]);
}

export async function finishReindexRun(db: Queryable, scope: string): Promise<void> {
  await db.query(`UPDATE history_reindex_runs SET finished_at = now() WHERE scope = $1`, [scope]);
}

/** Passage count and the distinct models their vectors were made with (for status and the bench). */
export async function passageModelCounts(db: Queryable): Promise<Array<{ modelId: string | null; dimension: number | null; passages: number }>> {
  const rows = await db.query<{ modelId: string | null; dimension: number | null; passages: string }>(
    `SELECT model_id AS "modelId", dimension, count(*) AS passages FROM history_passages GROUP BY 1, 2 ORDER BY 3 DESC`,
  );
  return rows.map((r) => ({ ...r, passages: Number(r.passages) }));
}
