import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Database } from '../../db/database.ts';
import { NoteNotFoundError, NotePatientMismatchError } from '../../notes/errors.ts';
import { findNoteForRendering, listNotes, requireNoteVersion, submitNote, type NoteWithResultsJson } from '../../notes/service.ts';
import { audit, auditContext } from '../audit.ts';
import { refuseWhenBusy } from '../middleware/backpressure/index.ts';
import { idempotency, IdempotencyKeyHeaders, idempotentResourceId } from '../middleware/idempotency/index.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDateTime, PageQuery, pageOf } from '../schemas.ts';
import { RenderedNoteCache } from '../rendered-note-cache.ts';
import { codingSettings } from '../../coding/icd10/guidelines/setting.ts';
import type { NoteSummary } from '../../notes/types.ts';

registerDomainError(NoteNotFoundError, 'not-found');
registerDomainError(NotePatientMismatchError, 'patient-mismatch');

const NoteSummarySchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    kind: z.string(),
    setting: z.enum(codingSettings).nullable().openapi({ description: 'Care setting given for coding; null: derived from the kind' }),
    author: z.string(),
    authoredAt: z.string(),
    source: z.enum(['typed', 'dictation', 'import']),
    status: z.enum(['pending', 'processing', 'processed', 'failed']),
    pipelineVersion: z.string(),
    processedVersion: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('NoteSummary');

const NoteSchema = NoteSummarySchema.extend({
  text: z.string(),
  results: z.record(z.string(), z.unknown()).openapi({ description: 'Pipeline outputs by stage (structure, codes, …)' }),
}).openapi('Note');

const NewNoteSchema = z
  .object({
    text: z.string().min(1).max(200_000).refine((t) => t.trim().length > 0, 'must not be blank'),
    kind: z.string().trim().min(1).max(64).default('progress').openapi({ example: 'progress' }),
    setting: z
      .enum(codingSettings)
      .optional()
      .openapi({ description: 'Care setting for ICD-10-CM coding (uncertain diagnoses are coded as established only for inpatient); default from the kind: discharge/admission/H&P → inpatient, ED/emergency → ED, else outpatient' }),
    source: z.enum(['typed', 'dictation']).default('typed'),
    authoredAt: IsoDateTime.optional().openapi({ description: 'When the note was written; default now' }),
    author: z.string().trim().min(1).max(200).optional().openapi({ description: "Default: the API key's label" }),
    patientId: z
      .uuid()
      .optional()
      .openapi({ description: 'The patient the client showed while the note was written; when present it must equal the path id, else 409 `/problems/patient-mismatch` and nothing is saved' }),
    encounterId: z
      .uuid()
      .optional()
      .openapi({ description: "The patient's encounter the note belongs to (`POST /v1/patients/{id}/encounters`); without one the note is its own outpatient encounter" }),
  })
  .openapi('NewNote');

const NoteAcceptedSchema = z
  .object({ noteId: z.uuid(), jobId: z.string(), status: z.literal('pending') })
  .openapi('NoteAccepted');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const summaryJson = (n: NoteSummary) => ({
  id: n.id,
  patientId: n.patientId,
  kind: n.kind,
  setting: n.setting ?? null,
  author: n.author,
  authoredAt: n.authoredAt.toISOString(),
  source: n.source,
  status: n.status,
  pipelineVersion: n.pipelineVersion,
  processedVersion: n.processedVersion,
  error: n.error,
  createdAt: n.createdAt.toISOString(),
  updatedAt: iso(n.updatedAt)!,
});
/**
 * The note as JSON with its stored results text spliced in as `results`: parsing the results (tens of KB) only to
 * serialise them again was most of the read's time. Postgres prints jsonb with a space after ':' and ',', so the
 * bytes differ from JSON.stringify while the parsed value is the same.
 */
const noteBody = (n: NoteWithResultsJson) => `${JSON.stringify({ ...summaryJson(n), text: n.text }).slice(0, -1)},"results":${n.resultsJson}}`;

/** Rendered note bodies per database, up to 32 MB each (about 190 processed notes of 80 KB). */
const renderedNotes = new WeakMap<Database, RenderedNoteCache>();
const renderedNotesOf = (db: Database) => {
  let cache = renderedNotes.get(db);
  if (!cache) renderedNotes.set(db, (cache = new RenderedNoteCache(32 * 1024 * 1024)));
  return cache;
};

/** The note's current body: rendered again only when the row changed since this process last rendered it. */
async function currentNoteBody(db: Database, id: string, rowVersion: string): Promise<string | undefined> {
  const cache = renderedNotesOf(db);
  const cached = cache.get(id, rowVersion);
  if (cached !== undefined) return cached;
  const note = await findNoteForRendering(db, id);
  if (!note) return undefined;
  const body = noteBody(note);
  cache.set(id, note.rowVersion, body);
  return body;
}

export const NOTE_READERS = ['doctor', 'clinician', 'coder'] as const;

export const noteRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/patients/{id}/notes',
      tags: ['Notes'],
      summary: 'Submit a note (typed or dictated); processing runs as a background job',
      roles: ['doctor'],
      patientData: true,
      guards: [idempotency(), refuseWhenBusy()],
      request: { params: IdParam, headers: IdempotencyKeyHeaders, body: { required: true, content: { 'application/json': { schema: NewNoteSchema } } } },
      responses: {
        202: { description: 'Accepted for processing', content: { 'application/json': { schema: NoteAcceptedSchema } } },
        ...problemResponses(404, 409, 413, 422, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { note, jobId } = await submitNote(
        c.var.runtime,
        {
          patientId: c.req.valid('param').id,
          writtenForPatientId: body.patientId,
          id: idempotentResourceId(c),
          kind: body.kind,
          setting: body.setting,
          author: body.author ?? c.var.principal!.label,
          authoredAt: body.authoredAt ? new Date(body.authoredAt) : new Date(),
          source: body.source,
          text: body.text,
          encounterId: body.encounterId,
        },
        auditContext(c),
      );
      c.header('Location', `/v1/notes/${note.id}`);
      return c.json({ noteId: note.id, jobId, status: 'pending' as const }, 202);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/notes/{id}',
      tags: ['Notes'],
      summary: 'Get a note with its processing status and results',
      roles: NOTE_READERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'The note', content: { 'application/json': { schema: NoteSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { db } = c.var.runtime;
      const version = await requireNoteVersion(db, id);
      // The audit row is committed (group-committed with concurrent reads) while the body is fetched or found
      // rendered; the read is answered only once both are done.
      const [body] = await Promise.all([
        currentNoteBody(db, id, version.rowVersion),
        audit(c, { action: 'note.read', patientId: version.patientId, resourceType: 'note', resourceId: id }),
      ]);
      // Deleted between the two reads: audited as a read attempt, answered as missing.
      if (body === undefined) throw new NoteNotFoundError();
      // `as never`: the body is NoteSchema's JSON already serialised, which a typed JSON response cannot express.
      return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}/notes',
      tags: ['Notes'],
      summary: "List a patient's notes, newest first (paginated)",
      roles: NOTE_READERS,
      patientData: true,
      request: { params: IdParam, query: PageQuery },
      responses: {
        200: { description: 'A page of notes', content: { 'application/json': { schema: pageOf(NoteSummarySchema, 'NotePage') } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const q = c.req.valid('query');
      const page = await listNotes(c.var.runtime.db, patientId, { limit: q.limit, cursor: q.cursor });
      await audit(c, { action: 'note.list', patientId, resourceType: 'patient', resourceId: patientId, detail: { count: page.items.length } });
      return c.json({ items: page.items.map(summaryJson), nextCursor: page.nextCursor }, 200);
    },
  );
