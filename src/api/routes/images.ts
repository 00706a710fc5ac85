import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CorruptImageError, EmptyImageError, ImageFileNotFoundError, ImageNotFoundError, ImageNotTriagedError, ImageTooLargeError, ModelManifestError, NoReadToUndoError, NoSuitableModelError, TruncatedImageError, UnsupportedDicomImageError, UnsupportedImageTypeError, UnsupportedTransferSyntaxError } from '../../imaging/errors.ts';
import { INDICATION_MAX_LENGTH, indicationProblem, normaliseIndication } from '../../imaging/indication.ts';
import { imageFileOf, imagingService, READ_UNDO_MINUTES, type ImageFileKind } from '../../imaging/service.ts';
import type { ImageRead, ImageRecord } from '../../imaging/types.ts';
import { audit } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { refuseWhenBusy } from '../middleware/backpressure/index.ts';
import { idempotency, IdempotencyKeyHeaders } from '../middleware/idempotency/index.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, PageQuery, pageOf } from '../schemas.ts';
import { requirePatient } from '../../patients/service.ts';

registerDomainError(ImageTooLargeError, 'image-too-large');
registerDomainError(UnsupportedImageTypeError, 'unsupported-media-type');
registerDomainError(UnsupportedTransferSyntaxError, 'unsupported-media-type');
registerDomainError(TruncatedImageError, 'unprocessable');
registerDomainError(CorruptImageError, 'unprocessable');
registerDomainError(UnsupportedDicomImageError, 'unprocessable');
registerDomainError(NoSuitableModelError, 'unprocessable');
registerDomainError(ModelManifestError, 'unavailable');
registerDomainError(EmptyImageError, 'bad-request');
registerDomainError(ImageNotFoundError, 'not-found');
registerDomainError(ImageFileNotFoundError, 'not-found');
registerDomainError(ImageNotTriagedError, 'conflict');
registerDomainError(NoReadToUndoError, 'not-found');

export const TRIAGE_NOTICE = 'A triage aid, not a diagnosis: the model only orders the reading worklist, and a radiologist reads every image.';

/** Who may see a patient's images and their triage; radiologists also work the worklist and record reads. */
export const IMAGE_VIEWERS = ['doctor', 'clinician', 'radiologist'] as const;

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

/**
 * A stored file of the image as the response body, its access audited once the image is known to have that file;
 * patient data, so never cached by intermediaries or the browser.
 */
async function fileResponse(c: Context<AppEnv>, id: string, kind: ImageFileKind, action: string) {
  const images = imagingService(c.var.runtime);
  const image = await images.get(id);
  const file = imageFileOf(image, kind);
  await audit(c, { action, patientId: image.patientId, resourceType: 'image', resourceId: id });
  const bytes = await images.readFile(file);
  const disposition: Record<string, string> = file.fileName ? { 'Content-Disposition': `attachment; filename="${file.fileName}"` } : {};
  return c.body(bytes, 200, { 'Content-Type': file.contentType, 'Cache-Control': 'private, no-store', ...disposition });
}

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
      const { image, created, jobId } = await imagingService(runtime).upload(
        { patientId, bytes, indication, uploadedBy: c.var.principal!.label, requestId: c.var.requestId },
        (record, isNew) => audit(c, { action: 'image.upload', patientId, resourceType: 'image', resourceId: record.id, detail: { format: record.format, duplicate: !isNew } }),
      );
      c.header('Location', `/v1/images/${image.id}`);
      return c.json({ imageId: image.id, jobId, status: image.status, duplicate: !created }, 202);
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
      const page = await imagingService(c.var.runtime).listForPatient(patientId, { limit: q.limit, cursor: q.cursor });
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
      const images = imagingService(c.var.runtime);
      const image = await images.get(id);
      const reads = await images.reads(id);
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
      return fileResponse(c, id, 'original', 'image.download');
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
      return fileResponse(c, id, 'thumbnail', 'image.thumbnail');
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
      return fileResponse(c, id, 'heatmap', 'image.heatmap');
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
      const { keyId, label } = c.var.principal!;
      const { image, read } = await imagingService(c.var.runtime).recordRead(id, { keyId, label }, { agreement: body.agreement ?? null, comment: body.comment ?? null });
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
      const { keyId, label } = c.var.principal!;
      const { image, read } = await imagingService(c.var.runtime).undoRead(id, { keyId, label });
      await audit(c, { action: 'image.unread', patientId: image.patientId, resourceType: 'image', resourceId: id, detail: { readId: read.id } });
      return c.json(readJson(read), 200);
    },
  );
