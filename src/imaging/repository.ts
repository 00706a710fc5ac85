import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, InvalidCursorError, toPage, type Page, type PageRequest } from '../db/page.ts';
import type {
  FeedbackFilter,
  ImageFormat,
  ImageRead,
  ImageRecord,
  ImageStatus,
  ImageTriage,
  NewImage,
  NewImageRead,
  SeenTriage,
  TriageFeedback,
  TriagePriority,
  WorklistItem,
  WorklistStatus,
} from './types.ts';


interface ImageRow {
  id: string;
  patientId: string;
  contentSha256: string;
  storagePath: string;
  thumbnailPath: string | null;
  format: ImageFormat;
  byteSize: number | string;
  width: number;
  height: number;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  modality: string | null;
  indication: string | null;
  uploadedBy: string;
  receivedAt: Date;
  status: ImageStatus;
  modelId: string | null;
  modelVersion: string | null;
  threshold: number | null;
  priority: TriagePriority | null;
  score: number | null;
  label: string | null;
  probabilities: Record<string, number> | null;
  quality: Record<string, unknown> | null;
  heatmapPath: string | null;
  triagedAt: Date | null;
  error: string | null;
  readAt: Date | null;
  updatedAt: Date;
}

const columnsOf = (t: string) => `${t}.id, ${t}.patient_id AS "patientId", ${t}.content_sha256 AS "contentSha256",
  ${t}.storage_path AS "storagePath", ${t}.thumbnail_path AS "thumbnailPath", ${t}.format, ${t}.byte_size AS "byteSize",
  ${t}.width, ${t}.height, ${t}.study_instance_uid AS "studyInstanceUid", ${t}.series_instance_uid AS "seriesInstanceUid",
  ${t}.sop_instance_uid AS "sopInstanceUid", ${t}.modality, ${t}.indication, ${t}.uploaded_by AS "uploadedBy", ${t}.received_at AS "receivedAt",
  ${t}.status, ${t}.model_id AS "modelId", ${t}.model_version AS "modelVersion", ${t}.threshold, ${t}.priority, ${t}.score,
  ${t}.label, ${t}.probabilities, ${t}.quality, ${t}.heatmap_path AS "heatmapPath", ${t}.triaged_at AS "triagedAt",
  ${t}.error, ${t}.read_at AS "readAt", ${t}.updated_at AS "updatedAt"`;
const columns = columnsOf('images');

function toRecord(row: ImageRow): ImageRecord {
  const dicom =
    row.format === 'dicom'
      ? { studyInstanceUid: row.studyInstanceUid, seriesInstanceUid: row.seriesInstanceUid, sopInstanceUid: row.sopInstanceUid, modality: row.modality }
      : null;
  const triage =
    row.modelId && row.modelVersion && row.priority && row.threshold !== null
      ? {
          modelId: row.modelId,
          modelVersion: row.modelVersion,
          threshold: row.threshold,
          priority: row.priority,
          score: row.score,
          label: row.label,
          probabilities: row.probabilities,
          quality: row.quality ?? {},
          heatmapPath: row.heatmapPath,
        }
      : null;
  return {
    id: row.id,
    patientId: row.patientId,
    contentSha256: row.contentSha256,
    storagePath: row.storagePath,
    thumbnailPath: row.thumbnailPath,
    format: row.format,
    byteSize: Number(row.byteSize),
    width: row.width,
    height: row.height,
    dicom,
    indication: row.indication,
    uploadedBy: row.uploadedBy,
    receivedAt: row.receivedAt,
    status: row.status,
    triage,
    triagedAt: row.triagedAt,
    error: row.error,
    readAt: row.readAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Records an uploaded image. The same file (by hash) for the same patient is one record: the second upload
 * returns the first record with `created: false`, taking the new upload's indication only when it had none.
 */
export async function insertImage(db: Queryable, image: NewImage): Promise<{ image: ImageRecord; created: boolean }> {
  const d = image.dicom;
  const inserted = await db.query<ImageRow>(
    `INSERT INTO images (id, patient_id, content_sha256, storage_path, thumbnail_path, format, byte_size, width, height,
       study_instance_uid, series_instance_uid, sop_instance_uid, modality, indication, uploaded_by, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'pending')
     ON CONFLICT (patient_id, content_sha256) DO NOTHING RETURNING ${columns}`,
    [
      randomUUID(),
      image.patientId,
      image.contentSha256,
      image.storagePath,
      image.thumbnailPath,
      image.format,
      image.byteSize,
      image.width,
      image.height,
      d?.studyInstanceUid ?? null,
      d?.seriesInstanceUid ?? null,
      d?.sopInstanceUid ?? null,
      d?.modality ?? null,
      image.indication,
      image.uploadedBy,
    ],
  );
  if (inserted[0]) return { image: toRecord(inserted[0]), created: true };
  const existing = await db.query<ImageRow>(
    `UPDATE images SET indication = COALESCE(indication, $3) WHERE patient_id = $1 AND content_sha256 = $2 RETURNING ${columns}`,
    [image.patientId, image.contentSha256, image.indication],
  );
  return { image: toRecord(existing[0]!), created: false };
}

export async function findImage(db: Queryable, id: string): Promise<ImageRecord | undefined> {
  const row = (await db.query<ImageRow>(`SELECT ${columns} FROM images WHERE id = $1`, [id]))[0];
  return row && toRecord(row);
}

/** A patient's images, newest first. */
export async function listPatientImages(db: Queryable, patientId: string, page: PageRequest): Promise<Page<ImageRecord>> {
  const params: unknown[] = [patientId];
  let keyset = '';
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    keyset = `AND (received_at, id) < ($2::timestamptz, $3::uuid)`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<ImageRow>(
    `SELECT ${columns} FROM images WHERE patient_id = $1 ${keyset} ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return toPage(rows.map(toRecord), page.limit, (i) => [i.receivedAt, i.id]);
}

// Urgent images first; everything else (routine, unreadable, not yet triaged) after them, so nothing is withheld.
// The same expression as images_unread_worklist_idx.
const worklistRank = `(CASE WHEN i.priority = 'urgent' THEN 0 ELSE 1 END)`;
// The cursor's sort key packs the rank and the received time into one number (rank · 10¹⁴ + epoch ms).
const RANK_FACTOR = 1e14;

/** The reading worklist: urgent first, then oldest first. */
export async function listWorklist(db: Queryable, status: WorklistStatus, page: PageRequest): Promise<Page<WorklistItem>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (status === 'unread') where.push('i.read_at IS NULL');
  if (status === 'read') where.push('i.read_at IS NOT NULL');
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    const packed = Number(sortKey);
    if (!Number.isSafeInteger(packed) || packed < 0) throw new InvalidCursorError('The cursor is not one this server issued.');
    params.push(Math.floor(packed / RANK_FACTOR), new Date(packed % RANK_FACTOR), id);
    where.push(`(${worklistRank}, i.received_at, i.id) > ($1::int, $2::timestamptz, $3::uuid)`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<ImageRow & { mrn: string; patientName: string | null; rank: number }>(
    `SELECT ${columnsOf('i')}, p.mrn, p.name AS "patientName", ${worklistRank} AS rank
     FROM images i JOIN patients p ON p.id = i.patient_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY rank, i.received_at, i.id LIMIT $${params.length}`,
    params,
  );
  const items = rows.map((r) => ({ ...toRecord(r), mrn: r.mrn, patientName: r.patientName, rank: r.rank }));
  const result = toPage(items, page.limit, (i) => [i.rank * RANK_FACTOR + i.receivedAt.getTime(), i.id]);
  return { items: result.items.map(({ rank: _rank, ...item }) => item), nextCursor: result.nextCursor };
}

/** Claims an image for triage with a model; false when it is gone or already triaged with this model version. */
export async function claimImageForTriage(db: Queryable, id: string, modelId: string, modelVersion: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE images SET status = 'processing', updated_at = now()
     WHERE id = $1 AND NOT (status = 'triaged' AND model_id = $2 AND model_version = $3) RETURNING id`,
    [id, modelId, modelVersion],
  );
  return rows.length > 0;
}

export async function completeImageTriage(db: Queryable, id: string, triage: ImageTriage): Promise<void> {
  await db.query(
    `UPDATE images SET status = 'triaged', model_id = $2, model_version = $3, threshold = $4, priority = $5, score = $6,
       label = $7, probabilities = $8::jsonb, quality = $9::jsonb, heatmap_path = $10, error = NULL,
       triaged_at = now(), updated_at = now()
     WHERE id = $1`,
    [
      id,
      triage.modelId,
      triage.modelVersion,
      triage.threshold,
      triage.priority,
      triage.score,
      triage.label,
      triage.probabilities ? JSON.stringify(triage.probabilities) : null,
      JSON.stringify(triage.quality),
      triage.heatmapPath,
    ],
  );
}

/** The last attempt failed: the image stays on the worklist (untriaged) with the error recorded. */
export async function failImageTriage(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE images SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [id, error]);
}

/**
 * Images the reconciler should (re-)enqueue, oldest first: triage not finished, or unread and triaged by a
 * model version no longer installed (`installed` holds `id@version` keys). Failed images are left alone.
 */
export async function listImagesToTriage(
  db: Queryable,
  installed: readonly string[],
  limit: number,
  after?: { receivedAt: Date; id: string },
): Promise<Array<{ id: string; receivedAt: Date }>> {
  return db.query(
    `SELECT id, received_at AS "receivedAt" FROM images
     WHERE (status IN ('pending', 'processing')
            OR (status = 'triaged' AND read_at IS NULL AND NOT (model_id || '@' || model_version = ANY ($1::text[]))))
       AND ($2::timestamptz IS NULL OR (received_at, id) > ($2::timestamptz, $3::uuid))
     ORDER BY received_at, id LIMIT $4`,
    [installed, after?.receivedAt ?? null, after?.id ?? null, limit],
  );
}

const readColumnsOf = (t: string) => `${t}.id, ${t}.image_id AS "imageId", ${t}.reader_key_id AS "readerKeyId",
  ${t}.reader_label AS "readerLabel", ${t}.agreement, ${t}.comment, ${t}.model_id AS "modelId", ${t}.model_version AS "modelVersion",
  ${t}.priority, ${t}.score, ${t}.label, ${t}.read_at AS "readAt"`;
const readColumns = readColumnsOf('image_reads');

type ReadRow = Omit<ImageRead, 'seen'> & SeenTriage;

const toRead = ({ modelId, modelVersion, priority, score, label, ...read }: ReadRow): ImageRead => ({
  ...read,
  seen: { modelId, modelVersion, priority, score, label },
});

/**
 * Records a read with a snapshot of the triage the reader saw, and takes the image off the unread worklist.
 * Undefined when the image is gone. Run it in a transaction so the two writes land together.
 */
export async function insertImageRead(db: Queryable, read: NewImageRead): Promise<ImageRead | undefined> {
  const rows = await db.query<ReadRow>(
    `INSERT INTO image_reads (id, image_id, reader_key_id, reader_label, agreement, comment, model_id, model_version, priority, score, label)
     SELECT $1, i.id, $3, $4, $5, $6, i.model_id, i.model_version, i.priority, i.score, i.label FROM images i WHERE i.id = $2
     RETURNING ${readColumns}`,
    [randomUUID(), read.imageId, read.reader.keyId, read.reader.label, read.agreement, read.comment],
  );
  if (!rows[0]) return undefined;
  await db.query(`UPDATE images SET read_at = COALESCE(read_at, $2), updated_at = now() WHERE id = $1`, [read.imageId, rows[0].readAt]);
  return toRead(rows[0]);
}

/**
 * Takes back a reader's own latest read of an image made at or after `since` (an undo), and puts the image back
 * on the unread worklist when no read is left. Undefined when there is no such read. Run it in a transaction.
 */
export async function deleteOwnLatestImageRead(db: Queryable, imageId: string, readerKeyId: string, since: Date): Promise<ImageRead | undefined> {
  const rows = await db.query<ReadRow>(
    `DELETE FROM image_reads WHERE id = (
       SELECT id FROM image_reads WHERE image_id = $1 AND reader_key_id = $2 AND read_at >= $3 ORDER BY read_at DESC, id DESC LIMIT 1)
     RETURNING ${readColumns}`,
    [imageId, readerKeyId, since],
  );
  if (!rows[0]) return undefined;
  await db.query(`UPDATE images SET read_at = (SELECT min(read_at) FROM image_reads WHERE image_id = $1), updated_at = now() WHERE id = $1`, [imageId]);
  return toRead(rows[0]);
}

/** An image's reads, oldest first. */
export async function listImageReads(db: Queryable, imageId: string): Promise<ImageRead[]> {
  const rows = await db.query<ReadRow>(`SELECT ${readColumns} FROM image_reads WHERE image_id = $1 ORDER BY read_at, id`, [imageId]);
  return rows.map(toRead);
}

/** Reads with the triage they judged, in read order (keyset-paginated). */
export async function listTriageFeedback(db: Queryable, filter: FeedbackFilter, page: PageRequest): Promise<Page<TriageFeedback>> {
  const params: unknown[] = [filter.since ?? null, filter.until ?? null];
  let keyset = '';
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    keyset = `AND (r.read_at, r.id) > ($3::timestamptz, $4::uuid)`;
  }
  params.push(page.limit + 1);
  const rows = await db.query<ReadRow & { patientId: string; contentSha256: string; format: ImageFormat; modality: string | null }>(
    `SELECT ${readColumnsOf('r')}, i.patient_id AS "patientId", i.content_sha256 AS "contentSha256",
       i.format, i.modality
     FROM image_reads r JOIN images i ON i.id = r.image_id
     WHERE ($1::timestamptz IS NULL OR r.read_at >= $1) AND ($2::timestamptz IS NULL OR r.read_at < $2) ${keyset}
     ORDER BY r.read_at, r.id LIMIT $${params.length}`,
    params,
  );
  const items = rows.map((r) => ({ ...toRead(r), patientId: r.patientId, contentSha256: r.contentSha256, format: r.format, modality: r.modality }));
  return toPage(items, page.limit, (f) => [f.readAt, f.id]);
}

