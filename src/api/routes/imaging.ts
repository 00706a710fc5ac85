import { OpenAPIHono, z } from '@hono/zod-openapi';
import { imagingService } from '../../imaging/service.ts';
import type { TriageFeedback, WorklistItem } from '../../imaging/types.ts';
import { audit, type AuditEntry } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { protectedRoute } from '../route.ts';
import { IsoDateTime, PageQuery, pageOf } from '../schemas.ts';
import { imageUrls, IndicationSchema, PrioritySchema, TRIAGE_NOTICE } from './images.ts';

const WorklistItemSchema = z
  .object({
    imageId: z.uuid(),
    patientId: z.uuid(),
    mrn: z.string(),
    patientName: z.string().nullable(),
    indication: IndicationSchema,
    receivedAt: z.string(),
    format: z.enum(['png', 'jpeg', 'dicom']),
    modality: z.string().nullable(),
    status: z.enum(['pending', 'processing', 'triaged', 'failed']),
    priority: PrioritySchema.nullable().openapi({ description: 'Null until triage has finished (such images are listed after urgent ones)' }),
    score: z.number().nullable(),
    label: z.string().nullable(),
    modelId: z.string().nullable(),
    modelVersion: z.string().nullable(),
    readAt: z.string().nullable(),
    imageUrl: z.string(),
    thumbnailUrl: z.string().nullable(),
  })
  .openapi('WorklistItem');

const FeedbackSchema = z
  .object({
    readId: z.uuid(),
    readAt: z.string(),
    reader: z.string(),
    imageId: z.uuid(),
    patientId: z.uuid(),
    contentSha256: z.string(),
    format: z.enum(['png', 'jpeg', 'dicom']),
    modality: z.string().nullable(),
    modelId: z.string().nullable(),
    modelVersion: z.string().nullable(),
    priority: PrioritySchema.nullable(),
    score: z.number().nullable(),
    label: z.string().nullable(),
    agreement: z.enum(['agree', 'disagree']).nullable(),
    comment: z.string().nullable(),
  })
  .openapi('TriageFeedback');

const FeedbackQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  since: IsoDateTime.optional().openapi({ description: 'Reads at or after this time' }),
  until: IsoDateTime.optional().openapi({ description: 'Reads before this time' }),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).openapi({ description: 'Rows per page (1–10,000, default 1,000)' }),
  cursor: z.string().max(512).optional().openapi({ description: 'The `nextCursor` (JSON) or the `Link: rel="next"` cursor (CSV) of the previous page' }),
});

const worklistJson = (i: WorklistItem) => ({
  imageId: i.id,
  patientId: i.patientId,
  mrn: i.mrn,
  patientName: i.patientName,
  indication: i.indication,
  receivedAt: i.receivedAt.toISOString(),
  format: i.format,
  modality: i.dicom?.modality ?? null,
  status: i.status,
  priority: i.triage?.priority ?? null,
  score: i.triage?.score ?? null,
  label: i.triage?.label ?? null,
  modelId: i.triage?.modelId ?? null,
  modelVersion: i.triage?.modelVersion ?? null,
  readAt: i.readAt?.toISOString() ?? null,
  imageUrl: `/v1/images/${i.id}`,
  thumbnailUrl: i.thumbnailPath ? imageUrls(i.id).thumbnail : null,
});

const feedbackJson = (f: TriageFeedback) => ({
  readId: f.id,
  readAt: f.readAt.toISOString(),
  reader: f.readerLabel,
  imageId: f.imageId,
  patientId: f.patientId,
  contentSha256: f.contentSha256,
  format: f.format,
  modality: f.modality,
  modelId: f.seen.modelId,
  modelVersion: f.seen.modelVersion,
  priority: f.seen.priority,
  score: f.seen.score,
  label: f.seen.label,
  agreement: f.agreement,
  comment: f.comment,
});

const feedbackColumns = Object.keys(FeedbackSchema.shape) as Array<keyof ReturnType<typeof feedbackJson>>;

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One audit entry per patient-linked row, or one for the (empty) listing itself, so every look is recorded. */
function auditEntries(action: string, rows: Array<{ patientId: string; imageId: string }>): AuditEntry[] {
  if (rows.length === 0) return [{ action, patientId: null, resourceType: 'image', resourceId: null, detail: { count: 0 } }];
  return rows.map((r) => ({ action, patientId: r.patientId, resourceType: 'image', resourceId: r.imageId }));
}

export const imagingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/imaging/worklist',
      tags: ['Imaging'],
      summary: 'The reading worklist: urgent first, then oldest first (paginated), with scores and thumbnails',
      description: `Images still being triaged, routine and unreadable ones are listed after the urgent ones: nothing is withheld from reading. ${TRIAGE_NOTICE}`,
      roles: ['radiologist'],
      patientData: true,
      request: {
        query: PageQuery.extend({
          status: z.enum(['unread', 'read', 'all']).default('unread').openapi({ description: 'Unread (default), read or all images' }),
        }),
      },
      responses: { 200: { description: 'A page of the worklist', content: { 'application/json': { schema: pageOf(WorklistItemSchema, 'WorklistPage') } } } },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await imagingService(c.var.runtime).worklist(q.status, { limit: q.limit, cursor: q.cursor });
      const items = page.items.map(worklistJson);
      await audit(c, ...auditEntries('imaging.worklist', items));
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/imaging/feedback',
      tags: ['Imaging'],
      summary: 'Export radiologist reads against the triage they judged (JSON or CSV), for validating and training the next model',
      description:
        'One row per read, in read order, with the triage shown at the time. CSV pages link to the next page with `Link: <…>; rel="next"`. ' +
        'Patient ids are included so that data sets can be split by patient.',
      roles: ['radiologist'], // patient ids and radiologists' free text: not for admins, who hold no chart access
      patientData: true,
      request: { query: FeedbackQuery },
      responses: {
        200: {
          description: 'A page of feedback',
          content: {
            'application/json': { schema: pageOf(FeedbackSchema, 'TriageFeedbackPage') },
            'text/csv': { schema: { type: 'string' } },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const filter = { since: q.since ? new Date(q.since) : undefined, until: q.until ? new Date(q.until) : undefined };
      const page = await imagingService(c.var.runtime).feedback(filter, { limit: q.limit, cursor: q.cursor });
      const rows = page.items.map(feedbackJson);
      await audit(c, ...auditEntries('imaging.feedback-export', rows));
      if (q.format === 'json') return c.json({ items: rows, nextCursor: page.nextCursor }, 200);
      const lines = [feedbackColumns.join(','), ...rows.map((row) => feedbackColumns.map((k) => csvField(row[k])).join(','))];
      const headers: Record<string, string> = { 'Content-Type': 'text/csv; charset=utf-8', 'Cache-Control': 'private, no-store' };
      if (page.nextCursor) {
        const next = new URLSearchParams({ format: 'csv', limit: String(q.limit), cursor: page.nextCursor });
        if (q.since) next.set('since', q.since);
        if (q.until) next.set('until', q.until);
        headers.Link = `</v1/imaging/feedback?${next}>; rel="next"`;
      }
      return c.body(lines.join('\r\n') + '\r\n', 200, headers);
    },
  );
