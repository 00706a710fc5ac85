import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CorruptImageError,
  ImageTooLargeError,
  INDICATION_MAX_LENGTH,
  indicationProblem,
  normaliseIndication,
  ModelManifestError,
  NoSuitableModelError,
  renderThumbnail,
  TruncatedImageError,
  UnsupportedDicomImageError,
  UnsupportedImageTypeError,
  UnsupportedTransferSyntaxError,
} from '../../imaging/index.ts';
import { imageStore } from '../../imaging/image-store.ts';
import { deleteOwnLatestImageRead, findImage, insertImage, insertImageRead, listImageReads, listPatientImages, type ImageRead, type ImageRecord } from '../../imaging/repository.ts';
import { decodeImageOffThread, enqueueImageTriage, imageModels, imageTriageJobId } from '../../imaging/jobs.ts';
import { audit } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { refuseWhenBusy } from '../middleware/backpressure/index.ts';
import { idempotency, IdempotencyKeyHeaders } from '../middleware/idempotency/index.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, PageQuery, pageOf } from '../schemas.ts';
import { requirePatient } from './patients.ts';

registerDomainError(ImageTooLargeError, 'image-too-large');
registerDomainError(UnsupportedImageTypeError, 'unsupported-media-type');
registerDomainError(UnsupportedTransferSyntaxError, 'unsupported-media-type');
registerDomainError(TruncatedImageError, 'unprocessable');
registerDomainError(CorruptImageError, 'unprocessable');
registerDomainError(UnsupportedDicomImageError, 'unprocessable');
registerDomainError(NoSuitableModelError, 'unprocessable');
registerDomainError(ModelManifestError, 'unavailable');

export const TRIAGE_NOTICE = 'A triage aid, not a diagnosis: the model only orders the reading worklist, and a radiologist reads every image.';

/** Who may see a patient's images and their triage; radiologists also work the worklist and record reads. */
export const IMAGE_VIEWERS = ['doctor', 'clinician', 'radiologist'] as const;

/** How long a radiologist may take back a read (a slip of the hand, noticed during the reading session). */
const READ_UNDO_MINUTES = 60;

export const imageUrls = (id: string) => ({
  original: `/v1/images/${id}/original`,
  thumbnail: `/v1/images/${id}/thumbnail.png`,
  heatmap: `/v1/images/${id}/heatmap.png`,
});

const DicomIdsSchema = z
  .object({
    studyInstanceUid: z.string().nullable(),
    seriesInstanceUid: z.string().nullable(),
    sopInstanceUid: z.string().nullable(),
    modality: z.string().nullable(),
  })
  .openapi('DicomIds');

export const IndicationSchema = z.string().nullable().openapi({
  description: 'Why the study was ordered: given at upload, else read from the DICOM request attributes (Reason for the Requested Procedure); null when neither says',
});

export const PrioritySchema = z.enum(['urgent', 'routine', 'unreadable']).openapi({
  description: '`urgent` at or above the model\'s operating threshold, `routine` below, `unreadable` when the image failed quality checks (not scored). A triage aid, not a diagnosis.',
});

const TriageSchema = z
  .object({
    modelId: z.string(),
    modelVersion: z.string(),
    threshold: z.number().openapi({ description: 'Operating threshold on the score (chosen on validation data for sensitivity ≥ 0.95)' }),
    priority: PrioritySchema,
    score: z.number().nullable().openapi({ description: 'Calibrated probability of the positive finding; null when unreadable' }),
    label: z.string().nullable(),
    probabilities: z.record(z.string(), z.number()).nullable(),
    quality: z.record(z.string(), z.unknown()).openapi({ description: 'The quality gate: ok, issues (code, message) and grey-level statistics' }),
    triagedAt: z.string().nullable(),
  })
  .openapi('ImageTriage', { description: TRIAGE_NOTICE });

const ImageSummarySchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    format: z.enum(['png', 'jpeg', 'dicom']),
    byteSize: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    contentSha256: z.string(),
    dicom: DicomIdsSchema.nullable(),
    indication: IndicationSchema,
    uploadedBy: z.string(),
    receivedAt: z.string(),
    status: z.enum(['pending', 'processing', 'triaged', 'failed']).openapi({ description: 'Triage progress' }),
    error: z.string().nullable(),
    triage: TriageSchema.nullable(),
    readAt: z.string().nullable().openapi({ description: 'First radiologist read; null while unread' }),
    originalUrl: z.string(),
    thumbnailUrl: z.string().nullable(),
    heatmapUrl: z.string().nullable().openapi({ description: 'Occlusion-sensitivity heatmap (where the model looked); null until triaged or when unreadable' }),
  })
  .openapi('ImageSummary');

const ImageReadSchema = z
  .object({
    id: z.uuid(),
    imageId: z.uuid(),
    reader: z.string(),
    agreement: z.enum(['agree', 'disagree']).nullable(),
    comment: z.string().nullable(),
    seenTriage: z
      .object({ modelId: z.string().nullable(), modelVersion: z.string().nullable(), priority: PrioritySchema.nullable(), score: z.number().nullable(), label: z.string().nullable() })
      .openapi({ description: 'The triage shown when the read was recorded' }),
    readAt: z.string(),
  })
  .openapi('ImageRead');

const ImageSchema = ImageSummarySchema.extend({ reads: z.array(ImageReadSchema) }).openapi('Image');

const ImageAcceptedSchema = z
  .object({
    imageId: z.uuid(),
    jobId: z.string(),
    status: z.enum(['pending', 'processing', 'triaged', 'failed']),
    duplicate: z.boolean().openapi({ description: 'True when this patient already had this exact file: the existing record is returned' }),
  })
  .openapi('ImageAccepted');

const NewReadSchema = z
  .object({
    agreement: z.enum(['agree', 'disagree']).optional().openapi({ description: 'Whether the read agrees with the triage priority shown' }),
    comment: z.string().trim().min(1).max(4000).optional(),
  })
  .openapi('NewImageRead');

const binary = { type: 'string', format: 'binary' } as const;
const pngResponse = (description: string) => ({ description, content: { 'image/png': { schema: binary } } });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function imageJson(i: ImageRecord) {
  const urls = imageUrls(i.id);
  return {
    id: i.id,
    patientId: i.patientId,
    format: i.format,
    byteSize: i.byteSize,
    width: i.width,
    height: i.height,
    contentSha256: i.contentSha256,
    dicom: i.dicom,
    indication: i.indication,
    uploadedBy: i.uploadedBy,
    receivedAt: i.receivedAt.toISOString(),
    status: i.status,
    error: i.error,
    triage: i.triage && {
      modelId: i.triage.modelId,
      modelVersion: i.triage.modelVersion,
      threshold: i.triage.threshold,
      priority: i.triage.priority,
      score: i.triage.score,
      label: i.triage.label,
      probabilities: i.triage.probabilities,
      quality: i.triage.quality,
      triagedAt: iso(i.triagedAt),
    },
    readAt: iso(i.readAt),
    originalUrl: urls.original,
    thumbnailUrl: i.thumbnailPath ? urls.thumbnail : null,
    heatmapUrl: i.triage?.heatmapPath ? urls.heatmap : null,
  };
}

const readJson = (r: ImageRead) => ({
  id: r.id,
  imageId: r.imageId,
  reader: r.readerLabel,
  agreement: r.agreement,
  comment: r.comment,
  seenTriage: r.seen,
  readAt: r.readAt.toISOString(),
});

/** An upload: the file's bytes, and the clinical indication when the multipart form gave one. */
interface Upload {
  bytes: Uint8Array;
  indication: string | null;
}

/**
 * The upload: the `file` field of a multipart body (with an optional `indication` field), otherwise the raw body.
 * The file's type is sniffed later.
 */
async function readUpload(c: Context<AppEnv>): Promise<Upload> {
  if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ProblemError('bad-request', 'The multipart body cannot be parsed.');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) {
      throw new ProblemError('validation', '1 invalid field: file', [{ path: 'file', message: 'Required: the image file as a multipart file field' }]);
    }
    return { bytes: new Uint8Array(await file.arrayBuffer()), indication: uploadedIndication(form.get('indication')) };
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), indication: null };
}

/** The form's `indication` field, checked (400 when refused) and normalised. */
function uploadedIndication(field: FormDataEntryValue | null): string | null {
  if (field === null) return null;
  const problem = typeof field === 'string' ? indicationProblem(field) : 'must be a text field, not a file';
  if (problem || typeof field !== 'string') {
    throw new ProblemError('validation', '1 invalid field: indication', [{ path: 'indication', message: `The clinical indication ${problem}` }]);
  }
  return normaliseIndication(field);
}

async function requireImage(c: Context<AppEnv>, id: string): Promise<ImageRecord> {
  const image = await findImage(c.var.runtime.db, id);
  if (!image) throw new ProblemError('not-found', 'No image with this id.');
  return image;
}

/** A stored file as the response body; patient data, so never cached by intermediaries or the browser. */
async function fileResponse(c: Context<AppEnv>, relativePath: string, contentType: string, headers: Record<string, string> = {}) {
  const bytes = await imageStore(c.var.runtime.config.dataDir).read(relativePath);
  if (!bytes) throw new ProblemError('not-found', 'The stored file is missing.');
  return c.body(new Uint8Array(bytes), 200, { 'Content-Type': contentType, 'Cache-Control': 'private, no-store', ...headers });
}

const originalTypes = { png: ['image/png', 'png'], jpeg: ['image/jpeg', 'jpg'], dicom: ['application/dicom', 'dcm'] } as const;

export const imageRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/patients/{id}/images',
      tags: ['Imaging'],
      summary: 'Upload an image (PNG, JPEG or DICOM Part 10) for triage; triage runs as a background job',
      description:
        `Send the file as the raw body or as the \`file\` field of a multipart form, whose optional \`indication\` field gives the clinical indication ` +
        `(one line, at most ${INDICATION_MAX_LENGTH} characters; for DICOM without it, the file's Reason for the Requested Procedure is used). The format is detected from the content (declared content types are not trusted); the size limit is CLINOTE_IMAGE_LIMIT. ` +
        `Uploading the same file again for the same patient returns the same image. ${TRIAGE_NOTICE}`,
      roles: ['doctor'],
      patientData: true,
      // Storage already keeps one image per patient and file, so the key's job here is the replayed first answer.
      guards: [idempotency(), refuseWhenBusy()],
      request: {
        params: IdParam,
        headers: IdempotencyKeyHeaders,
        body: {
          required: true,
          content: {
            'image/png': { schema: binary },
            'image/jpeg': { schema: binary },
            'application/dicom': { schema: binary },
            'application/octet-stream': { schema: binary },
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { file: binary, indication: { type: 'string', maxLength: INDICATION_MAX_LENGTH, description: 'Why the study was ordered (one line)' } },
                required: ['file'],
              },
            },
          },
        },
      },
      responses: {
        202: { description: 'Accepted for triage', content: { 'application/json': { schema: ImageAcceptedSchema } } },
        ...problemResponses(404, 409, 413, 415, 422, 503),
      },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const { runtime } = c.var;
      await requirePatient(runtime.db, patientId);
      const { bytes, indication } = await readUpload(c);
      if (bytes.length === 0) throw new ProblemError('bad-request', 'The body is empty: send the image file.');
      const image = await decodeImageOffThread(runtime, bytes, runtime.config.CLINOTE_IMAGE_LIMIT);
      const registry = await imageModels(runtime.config);
      const model = registry.select(image); // no model for this modality: 422 before anything is stored
      const store = imageStore(runtime.config.dataDir);
      const original = await store.putOriginal(bytes);
      const thumbnailPath = await store.putDerived(original.sha256, 'thumbnail', await renderThumbnail(image));
      const { dicom } = image;
      const { image: record, created } = await insertImage(runtime.db, {
        patientId,
        contentSha256: original.sha256,
        storagePath: original.path,
        thumbnailPath,
        format: image.format,
        byteSize: bytes.length,
        width: image.width,
        height: image.height,
        dicom: dicom && {
          studyInstanceUid: dicom.studyInstanceUid,
          seriesInstanceUid: dicom.seriesInstanceUid,
          sopInstanceUid: dicom.sopInstanceUid,
          modality: dicom.modality,
        },
        indication: indication ?? dicom?.indication ?? null,
        uploadedBy: c.var.principal!.label,
      });
      await audit(c, { action: 'image.upload', patientId, resourceType: 'image', resourceId: record.id, detail: { format: image.format, duplicate: !created } });
      const upToDate = record.status === 'triaged' && record.triage?.modelId === model.manifest.id && record.triage.modelVersion === model.manifest.version;
      const jobId = upToDate ? imageTriageJobId(record.id, registry) : await enqueueImageTriage(runtime, record.id, c.var.requestId);
      c.header('Location', `/v1/images/${record.id}`);
      return c.json({ imageId: record.id, jobId, status: record.status, duplicate: !created }, 202);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}/images',
      tags: ['Imaging'],
      summary: "List a patient's images with their triage, newest first (paginated)",
      description: TRIAGE_NOTICE,
      roles: IMAGE_VIEWERS,
      patientData: true,
      request: { params: IdParam, query: PageQuery },
      responses: {
        200: { description: 'A page of images', content: { 'application/json': { schema: pageOf(ImageSummarySchema, 'ImagePage') } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const q = c.req.valid('query');
      await requirePatient(c.var.runtime.db, patientId);
      const page = await listPatientImages(c.var.runtime.db, patientId, { limit: q.limit, cursor: q.cursor });
      await audit(c, { action: 'image.list', patientId, resourceType: 'patient', resourceId: patientId, detail: { count: page.items.length } });
      return c.json({ items: page.items.map(imageJson), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/images/{id}',
      tags: ['Imaging'],
      summary: 'Get an image: triage result, model version, heatmap and thumbnail URLs, DICOM identifiers and reads',
      description: TRIAGE_NOTICE,
      roles: IMAGE_VIEWERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'The image', content: { 'application/json': { schema: ImageSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const image = await requireImage(c, id);
      const reads = await listImageReads(c.var.runtime.db, id);
      await audit(c, { action: 'image.view', patientId: image.patientId, resourceType: 'image', resourceId: id });
      return c.json({ ...imageJson(image), reads: reads.map(readJson) }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/images/{id}/original',
      tags: ['Imaging'],
      summary: 'Download the uploaded file as received (PNG, JPEG or DICOM)',
      roles: IMAGE_VIEWERS,
      patientData: true,
      request: { params: IdParam },
      responses: {
        200: { description: 'The original file', content: { 'image/png': { schema: binary }, 'image/jpeg': { schema: binary }, 'application/dicom': { schema: binary } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const image = await requireImage(c, id);
      await audit(c, { action: 'image.download', patientId: image.patientId, resourceType: 'image', resourceId: id });
      const [type, extension] = originalTypes[image.format];
      return fileResponse(c, image.storagePath, type, { 'Content-Disposition': `attachment; filename="${image.id}.${extension}"` });
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/images/{id}/thumbnail.png',
      tags: ['Imaging'],
      summary: 'A greyscale thumbnail (long side 128 px) for worklists',
      roles: IMAGE_VIEWERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: pngResponse('The thumbnail'), ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const image = await requireImage(c, id);
      if (!image.thumbnailPath) throw new ProblemError('not-found', 'This image has no thumbnail.');
      await audit(c, { action: 'image.thumbnail', patientId: image.patientId, resourceType: 'image', resourceId: id });
      return fileResponse(c, image.thumbnailPath, 'image/png');
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/images/{id}/heatmap.png',
      tags: ['Imaging'],
      summary: 'Where the model looked: occlusion-sensitivity heatmap over the model\'s view of the image',
      description: `Regions whose hiding lowers the score most are tinted red to yellow. ${TRIAGE_NOTICE}`,
      roles: IMAGE_VIEWERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: pngResponse('The heatmap overlay'), ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const image = await requireImage(c, id);
      const heatmapPath = image.triage?.heatmapPath;
      if (!heatmapPath) throw new ProblemError('not-found', 'No heatmap: triage has not finished or the image was unreadable.');
      await audit(c, { action: 'image.heatmap', patientId: image.patientId, resourceType: 'image', resourceId: id });
      return fileResponse(c, heatmapPath, 'image/png');
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/images/{id}/read',
      tags: ['Imaging'],
      summary: 'Record a radiologist read: takes the image off the unread worklist; optionally agree or disagree with the triage',
      description: 'Agreement refers to the triage priority shown at the time (kept with the read) and is exported as feedback for the next model.',
      roles: ['radiologist'],
      patientData: true,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewReadSchema } } } },
      responses: {
        201: { description: 'The read was recorded', content: { 'application/json': { schema: ImageReadSchema } } },
        ...problemResponses(404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db } = c.var.runtime;
      const image = await requireImage(c, id);
      if (body.agreement && !image.triage) throw new ProblemError('conflict', 'The image has no triage result to agree or disagree with yet.');
      const principal = c.var.principal!;
      const read = await db.transaction((tx) =>
        insertImageRead(tx, { imageId: id, reader: { keyId: principal.keyId, label: principal.label }, agreement: body.agreement ?? null, comment: body.comment ?? null }),
      );
      if (!read) throw new ProblemError('not-found', 'No image with this id.');
      await audit(c, { action: 'image.mark-read', patientId: image.patientId, resourceType: 'image', resourceId: id, detail: { agreement: read.agreement } });
      return c.json(readJson(read), 201);
    },
  )
  .openapi(
    protectedRoute({
      method: 'delete',
      path: '/v1/images/{id}/read',
      tags: ['Imaging'],
      summary: "Undo the caller's own latest read of an image (within an hour): the image goes back on the unread worklist when no read is left",
      description: `Only the radiologist who made the read can take it back, and only within ${READ_UNDO_MINUTES} minutes; older reads stay as recorded.`,
      roles: ['radiologist'],
      patientData: true,
      request: { params: IdParam },
      responses: {
        200: { description: 'The read that was taken back', content: { 'application/json': { schema: ImageReadSchema } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const image = await requireImage(c, id);
      const keyId = c.var.principal!.keyId;
      const since = new Date(Date.now() - READ_UNDO_MINUTES * 60_000);
      const read = keyId ? await c.var.runtime.db.transaction((tx) => deleteOwnLatestImageRead(tx, id, keyId, since)) : undefined;
      if (!read) throw new ProblemError('not-found', `You have no read of this image from the last ${READ_UNDO_MINUTES} minutes to undo.`);
      await audit(c, { action: 'image.unread', patientId: image.patientId, resourceType: 'image', resourceId: id, detail: { readId: read.id } });
      return c.json(readJson(read), 200);
    },
  );
