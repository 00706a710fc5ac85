import { OpenAPIHono, z } from '@hono/zod-openapi';
import { structureNote } from '../../clinical/index.ts';
import { getCode, searchCodes } from '../../icd10/index.ts';
import { codeNote, type NoteCodes } from '../../icd10/note-codes.ts';
import { codingSettings, settingForNoteKind } from '../../icd10/guidelines/setting.ts';
import { finalCodesCsv, finalCodesFhirBundle } from '../../icd10/export.ts';
import { applyCoderDecisions, CodingReviewError, type CoderDecision } from '../../icd10/review.ts';
import { ROLES } from '../../repositories/api-keys.ts';
import { insertCodeReview, listCodingWorklist, listFinalCodeSets, listNoteCodeReviews, type CodeReview } from '../../repositories/coding.ts';
import { findNote, type Note } from '../../repositories/notes.ts';
import { audit, auditList } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDateTime, PageQuery, pageOf } from '../schemas.ts';

registerDomainError(CodingReviewError, 'unprocessable');

const EvidenceSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  source: z.string(),
  assertion: z.enum(['present', 'absent', 'possible', 'historical', 'family', 'hypothetical']).openapi({ description: "How the note asserts the span: present, absent (negated), possible (uncertain), historical, a relative's (family) or hypothetical" }),
});
const SuggestionSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    billable: z.boolean(),
    score: z.number().openapi({ description: 'Calibrated probability (0–1) that the code belongs on the note' }),
    rank: z.number().int(),
    proposed: z.boolean().openapi({ description: 'Reached by the Official Guidelines from a grounded mention (unproposed entries are alternatives for the coder)' }),
    role: z.enum(['principal', 'secondary', 'status', 'history', 'family']).openapi({ description: 'The first proposed code is the principal (inpatient) or first-listed (outpatient) diagnosis' }),
    rule: z.string().openapi({ description: 'The rule that produced the code, e.g. "I12.9: hypertension with CKD, presumed causal, I.C.9.a.2"' }),
    evidence: z.array(EvidenceSchema),
    flags: z.array(z.object({ kind: z.string(), message: z.string() }).passthrough()),
    codeSetVersion: z.string(),
    rankerVersion: z.string(),
  })
  .openapi('CodeSuggestion');

const SuggestResponse = z
  .object({
    codeSetVersion: z.string(),
    setting: z.enum(codingSettings).openapi({ description: 'The care setting the codes were made for' }),
    suggestions: z.array(SuggestionSchema),
    notice: z.string(),
  })
  .openapi('CodeSuggestions');

const FinalCodeSchema = z.object({
  code: z.string(),
  title: z.string(),
  origin: z.enum(['accepted', 'replacement', 'added']),
  suggestedCode: z.string().nullable(),
});
const ReviewSchema = z
  .object({
    id: z.uuid(),
    noteId: z.uuid(),
    version: z.number().int(),
    codeSetVersion: z.string(),
    rankerVersion: z.string().nullable(),
    finalCodes: z.array(FinalCodeSchema),
    reviewedBy: z.string(),
    reviewedAt: z.string(),
    decisions: z.array(
      z.object({
        action: z.enum(['accept', 'reject', 'replace', 'add']),
        suggestedCode: z.string().nullable(),
        finalCode: z.string().nullable(),
        reason: z.string().nullable(),
        suggestedScore: z.number().nullable(),
      }),
    ),
  })
  .openapi('CodeReview');

const CodeParam = z.object({
  code: z.string().trim().min(3).max(10).regex(/^[A-Za-z0-9.]+$/).openapi({ param: { name: 'code', in: 'path' }, example: 'E11.9' }),
});

const DecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), code: z.string().min(3).max(10) }),
  z.object({ action: z.literal('reject'), code: z.string().min(3).max(10), reason: z.string().trim().min(1).max(500) }),
  z.object({ action: z.literal('replace'), code: z.string().min(3).max(10), replacement: z.string().min(3).max(10), reason: z.string().max(500).optional() }),
  z.object({ action: z.literal('add'), code: z.string().min(3).max(10), reason: z.string().max(500).optional() }),
]);

const NOTICE = "Suggestions need a coder's review before they are used for claims.";
const CODERS = ['coder'] as const;

const reviewJson = (r: CodeReview) => ({
  id: r.id,
  noteId: r.noteId,
  version: r.version,
  codeSetVersion: r.codeSetVersion,
  rankerVersion: r.rankerVersion,
  finalCodes: r.finalCodes,
  reviewedBy: r.actorLabel,
  reviewedAt: r.createdAt.toISOString(),
  decisions: r.decisions,
});

async function requireNote(c: { var: AppEnv['Variables'] }, id: string): Promise<Note> {
  const note = await findNote(c.var.runtime.db, id);
  if (!note) throw new ProblemError('not-found', 'No note with this id.');
  return note;
}

const storedCodes = (note: Note) => note.results.codes as NoteCodes | undefined;


export const codingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/icd10/codes/{code}',
      tags: ['ICD-10-CM'],
      summary: 'Everything about a code: title, billable, hierarchy, instructional notes, 7th characters (reference data)',
      roles: ROLES,
      patientData: false,
      request: { params: CodeParam, query: z.object({ version: z.string().max(64).optional() }) },
      responses: { 200: { description: 'The code', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('Icd10Code') } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const code = getCode(c.req.valid('param').code, c.req.valid('query').version);
      if (!code) throw new ProblemError('not-found', 'No such ICD-10-CM code in this version.');
      return c.json(code as unknown as Record<string, unknown>, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/icd10/search',
      tags: ['ICD-10-CM'],
      summary: 'Typeahead: code prefix or words',
      roles: ROLES,
      patientData: false,
      request: {
        query: z.object({
          q: z.string().trim().min(1).max(200),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          billableOnly: z.enum(['true', 'false']).optional(),
          version: z.string().max(64).optional(),
        }),
      },
      responses: { 200: { description: 'Matches', content: { 'application/json': { schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } } } },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const hits = searchCodes(q.q, { limit: q.limit, version: q.version, ...(q.billableOnly === 'true' ? { billableOnly: true } : {}) });
      return c.json({ items: hits as unknown as Record<string, unknown>[] }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/icd10/suggest',
      tags: ['ICD-10-CM'],
      summary: "Ranked ICD-10-CM suggestions for text or a stored note, with evidence spans and flags (need a coder's review)",
      roles: ['coder', 'doctor'],
      patientData: true,
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  text: z.string().min(1).max(200_000).optional(),
                  noteId: z.uuid().optional(),
                  top: z.number().int().min(1).max(100).default(20),
                  setting: z
                    .enum(codingSettings)
                    .optional()
                    .openapi({ description: "Care setting: inpatient codes uncertain diagnoses as established (II.H); outpatient and ED code their symptoms (IV.H). Default: the note's setting or kind, else outpatient" }),
                })
                .refine((b) => (b.text === undefined) !== (b.noteId === undefined), 'give exactly one of text or noteId'),
            },
          },
        },
      },
      responses: { 200: { description: 'Suggestions', content: { 'application/json': { schema: SuggestResponse } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      let result: NoteCodes;
      if (body.noteId) {
        const note = await requireNote(c, body.noteId);
        await audit(c, { action: 'note.codes.suggest', patientId: note.patientId, resourceType: 'note', resourceId: note.id });
        result = codeNote(note.text, note.results.structure as Parameters<typeof codeNote>[1], body.top, body.setting ?? note.setting ?? settingForNoteKind(note.kind));
      } else {
        result = codeNote(body.text!, structureNote(body.text!), body.top, body.setting ?? 'outpatient');
      }
      return c.json({ ...result, notice: NOTICE }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/notes/{id}/codes',
      tags: ['Coding'],
      summary: "A note's stored suggestions and every version of its final code set",
      roles: ['coder', 'doctor'],
      patientData: true,
      request: { params: IdParam },
      responses: {
        200: {
          description: 'Suggestions and reviews',
          content: { 'application/json': { schema: z.object({ status: z.string(), suggestions: z.array(SuggestionSchema), reviews: z.array(ReviewSchema), notice: z.string() }) } },
        },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const note = await requireNote(c, c.req.valid('param').id);
      await audit(c, { action: 'note.codes.read', patientId: note.patientId, resourceType: 'note', resourceId: note.id });
      const reviews = await listNoteCodeReviews(c.var.runtime.db, note.id);
      return c.json({ status: note.status, suggestions: storedCodes(note)?.suggestions ?? [], reviews: reviews.map(reviewJson), notice: NOTICE }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/notes/{id}/codes/review',
      tags: ['Coding'],
      summary: 'Accept, reject (with reason), replace or add codes; stores a new version of the note’s final code set',
      description:
        'Each review states the complete final code set: the codes accepted, replaced or added in this request, in this order. Suggestions without a decision are not coded. To change one code of an earlier version, send that version’s decisions again with the change (the web UI starts from the latest version).',
      roles: CODERS,
      patientData: true,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: z.object({ decisions: z.array(DecisionSchema).min(1).max(200) }) } } },
      },
      responses: {
        201: { description: 'The new final code set version', content: { 'application/json': { schema: ReviewSchema.extend({ warnings: z.array(z.string()) }) } } },
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const note = await requireNote(c, c.req.valid('param').id);
      const codes = storedCodes(note);
      if (note.status !== 'processed' || !codes) throw new ProblemError('conflict', 'The note has not been processed yet; review it once its suggestions exist.');
      const outcome = applyCoderDecisions(codes.suggestions, c.req.valid('json').decisions as CoderDecision[], codes.codeSetVersion);
      const principal = c.var.principal!;
      const review = await insertCodeReview(c.var.runtime.db, {
        noteId: note.id,
        patientId: note.patientId,
        codeSetVersion: codes.codeSetVersion,
        rankerVersion: codes.suggestions[0]?.rankerVersion ?? null,
        finalCodes: outcome.finalCodes,
        actor: { keyId: principal.keyId, label: principal.label },
        decisions: outcome.decisions,
      });
      await audit(c, { action: 'note.codes.review', patientId: note.patientId, resourceType: 'note', resourceId: note.id, detail: { version: review.version, decisions: outcome.decisions.length } });
      return c.json({ ...reviewJson(review), warnings: outcome.warnings }, 201);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/coding/worklist',
      tags: ['Coding'],
      summary: 'Processed notes awaiting review (oldest first) or already reviewed',
      roles: CODERS,
      patientData: true,
      request: {
        query: PageQuery.extend({
          status: z.enum(['awaiting', 'reviewed']).default('awaiting'),
          kind: z.string().max(64).optional(),
          patientId: z.uuid().optional(),
        }),
      },
      responses: {
        200: {
          description: 'Worklist',
          content: {
            'application/json': {
              schema: pageOf(
                z.object({ noteId: z.uuid(), patientId: z.uuid(), mrn: z.string(), kind: z.string(), authoredAt: z.string(), suggestionCount: z.number().int(), reviewVersion: z.number().int().nullable() }),
                'CodingWorklistPage',
              ),
            },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listCodingWorklist(c.var.runtime.db, { status: q.status, kind: q.kind, patientId: q.patientId }, { limit: q.limit, cursor: q.cursor });
      await auditList(c, 'coding.worklist', page.items.map((i) => ({ patientId: i.patientId, resourceType: 'note', resourceId: i.noteId })));
      return c.json(
        {
          items: page.items.map((i) => ({ noteId: i.noteId, patientId: i.patientId, mrn: i.mrn, kind: i.kind, authoredAt: i.authoredAt.toISOString(), suggestionCount: i.suggestionCount, reviewVersion: i.reviewVersion })),
          nextCursor: page.nextCursor,
        },
        200,
      );
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/coding/export',
      tags: ['Coding'],
      summary: 'The latest final code set of every reviewed note: CSV (a row per code), FHIR R4 collection Bundle (a Condition per code and a draft Claim per note listing them in Claim.diagnosis; provider and coverage are left for the billing system), or plain JSON',
      roles: CODERS,
      patientData: true,
      request: { query: z.object({ format: z.enum(['csv', 'fhir', 'json']).default('csv'), since: IsoDateTime.optional(), patientId: z.uuid().optional() }) },
      responses: {
        200: {
          description: 'Export',
          content: {
            'text/csv': { schema: z.string() },
            'application/fhir+json': { schema: z.record(z.string(), z.unknown()) },
            'application/json': { schema: z.record(z.string(), z.unknown()) },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listFinalCodeSets(c.var.runtime.db, { since: q.since ? new Date(q.since) : undefined, patientId: q.patientId });
      await auditList(c, 'coding.export', rows.map((r) => ({ patientId: r.patientId, resourceType: 'note', resourceId: r.noteId })), { format: q.format });
      if (q.format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', 'attachment; filename="clinote-codes.csv"');
        return c.body(finalCodesCsv(rows), 200);
      }
      if (q.format === 'fhir') {
        c.header('Content-Type', 'application/fhir+json; charset=utf-8');
        return c.body(JSON.stringify(finalCodesFhirBundle(rows)), 200);
      }
      return c.json(
        {
          items: rows.map((r) => ({
            noteId: r.noteId,
            patientId: r.patientId,
            mrn: r.mrn,
            authoredAt: r.authoredAt.toISOString(),
            reviewVersion: r.version,
            codeSetVersion: r.codeSetVersion,
            finalCodes: r.finalCodes,
            reviewedBy: r.reviewedBy,
            reviewedAt: r.reviewedAt.toISOString(),
          })),
        },
        200,
      );
    },
  );
