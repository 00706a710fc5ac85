import { OpenAPIHono, z } from '@hono/zod-openapi';
import { getCode, searchCodes } from '../../coding/icd10/code-lookup.ts';
import { listVersions } from '../../coding/icd10/versions.ts';
import type { NoteCodes } from '../../coding/icd10/note-codes.ts';
import { codingSettings } from '../../coding/icd10/guidelines/setting.ts';
import { blockingEdits, validateClaim, type ClaimEdit } from '../../coding/claim-edits.ts';
import { finalCodesCsv, finalCodesFhirBundle } from '../../coding/export.ts';
import { POA_VALUES } from '../../coding/poa.ts';
import { ClaimEditsError, CodingReviewError, type CoderDecision } from '../../coding/review.ts';
import { ENCOUNTER_TYPES } from '../../encounters/encounter.ts';
import { claimPatient, listWorkspaceReviews, proposedEdits, saveReview, type ReviewWorkspace } from '../../encounters/service.ts';
import { activeVersion, loadCodeSet } from '../../coding/icd10/versions.ts';
import { ROLES } from '../../access/types.ts';
import { NoteInEncounterError, NoteNotProcessedError } from '../../coding/errors.ts';
import { NoteNotFoundError } from '../../notes/errors.ts';
import { CodingService } from '../../coding/service.ts';
import type { CodeReview } from '../../coding/types.ts';
import { audit, auditList } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDateTime, PageQuery, pageOf } from '../schemas.ts';

registerDomainError(CodingReviewError, 'unprocessable');
registerDomainError(NoteNotFoundError, 'not-found');
registerDomainError(NoteInEncounterError, 'conflict');
registerDomainError(NoteNotProcessedError, 'conflict');

const codingService = (c: { var: AppEnv['Variables'] }) => new CodingService(c.var.runtime.db);

/** A failed claim edit is a 422 whose `errors` name each edit: path `edits/<severity>/<edit id>`. */
function claimEditsProblem(error: ClaimEditsError): ProblemError {
  return new ProblemError('unprocessable', error.message, error.edits.map((e) => ({ path: `edits/${e.severity}/${e.id}`, message: e.message })));
}

const EvidenceSchema = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    source: z.string(),
    assertion: z
      .enum(['present', 'absent', 'possible', 'historical', 'family', 'hypothetical'])
      .optional()
      .openapi({ description: "How the note asserts the span: present, absent (negated), possible (uncertain), historical, a relative's (family) or hypothetical (absent on notes coded before assertions existed)" }),
    noteId: z.uuid().optional().openapi({ description: 'Review views: the note the span is in (offsets are into that note)' }),
    sentence: z.object({ text: z.string(), start: z.number().int(), end: z.number().int() }).optional().openapi({ description: 'Review views: the sentence holding the span, with the span\'s offsets in it' }),
  })
  .passthrough();
const SuggestionSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    billable: z.boolean(),
    score: z.number().openapi({
      description:
        "The ranker's calibrated probability (0–1) under the CodiEsp convention (every mention coded). It orders the alternatives; it is not the confidence of a guideline-proposed code (see confidence)",
    }),
    confidence: z
      .enum(['high', 'medium', 'low'])
      .optional()
      .openapi({
        description:
          "How firmly the note supports the suggestion, from how it was reached (a level, not a probability). high: proposed from an affirmed mention (or explicit status wording such as the medication list) that states the code's title words; medium: proposed, but an uncertain diagnosis coded as established (inpatient, II.H), title words the note does not write, or a lexicon synonym only; low: not proposed, an alternative the ranker scored. Absent on notes coded before confidence existed",
      }),
    confidenceBasis: z.string().optional().openapi({ description: 'Why the confidence is what it is, e.g. "documented as uncertain; coded as established because the setting is inpatient (II.H)"' }),
    rank: z.number().int(),
    proposed: z.boolean().openapi({ description: 'Reached by the Official Guidelines from a grounded mention (unproposed entries are alternatives for the coder)' }),
    evidence: z.array(EvidenceSchema),
    flags: z.array(z.object({ kind: z.string(), message: z.string() }).passthrough()),
    codeSetVersion: z.string(),
    rankerVersion: z.string(),
    role: z
      .enum(['principal', 'secondary', 'status', 'history', 'family'])
      .optional()
      .openapi({ description: 'The first proposed code is the principal (inpatient) or first-listed (outpatient) diagnosis (absent on notes coded before roles existed)' }),
    rule: z.string().optional().openapi({ description: 'The rule that produced the code, e.g. "I12.9: hypertension with CKD, presumed causal, I.C.9.a.2"' }),
    noteIds: z.array(z.uuid()).optional().openapi({ description: 'Review views: the notes that suggested the code' }),
    poaProposal: z.object({ poa: z.enum(POA_VALUES as ['Y', 'N', 'U', 'W', 'exempt']), because: z.string() }).optional().openapi({ description: 'Inpatient review views: the POA indicator the text supports' }),
  })
  .passthrough()
  .openapi('CodeSuggestion');

const SuggestResponse = z
  .object({
    codeSetVersion: z.string(),
    setting: z.enum(codingSettings).openapi({ description: 'The care setting the codes were made for' }),
    suggestions: z.array(SuggestionSchema),
    notice: z.string(),
  })
  .openapi('CodeSuggestions');

const PoaSchema = z.enum(POA_VALUES as ['Y', 'N', 'U', 'W', 'exempt']).openapi({ description: 'Present on admission: Y, N, U (documentation insufficient), W (clinically undetermined) or exempt' });
const FinalCodeSchema = z.object({
  code: z.string(),
  title: z.string(),
  origin: z.enum(['accepted', 'replacement', 'added']),
  suggestedCode: z.string().nullable(),
  poa: PoaSchema.nullable().optional(),
});
export const ClaimEditSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable id (kind and codes): what an override names' }),
    severity: z.enum(['blocking', 'warning']),
    kind: z.string(),
    codes: z.array(z.string()),
    message: z.string(),
  })
  .openapi('ClaimEdit');
export const ReviewSchema = z
  .object({
    id: z.uuid(),
    noteId: z.uuid().nullable(),
    encounterId: z.uuid().nullable(),
    version: z.number().int(),
    codeSetVersion: z.string(),
    rankerVersion: z.string().nullable(),
    finalCodes: z.array(FinalCodeSchema),
    reviewedBy: z.string(),
    reviewedAt: z.string(),
    overrides: z.array(z.object({ editId: z.string(), reason: z.string() })),
    decisions: z.array(
      z.object({
        action: z.enum(['accept', 'reject', 'replace', 'add', 'leave']),
        suggestedCode: z.string().nullable(),
        finalCode: z.string().nullable(),
        reason: z.string().nullable(),
        suggestedScore: z.number().nullable(),
        sequence: z.number().int().nullable().optional(),
        poa: PoaSchema.nullable().optional(),
      }),
    ),
  })
  .openapi('CodeReview');

const CodeParam = z.object({
  code: z.string().trim().min(3).max(10).regex(/^[A-Za-z0-9.]+$/).openapi({ param: { name: 'code', in: 'path' }, example: 'E11.9' }),
});

const DecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), code: z.string().min(3).max(10), poa: PoaSchema.optional() }),
  z.object({ action: z.literal('reject'), code: z.string().min(3).max(10), reason: z.string().trim().min(1).max(500) }),
  z.object({ action: z.literal('replace'), code: z.string().min(3).max(10), replacement: z.string().min(3).max(10), reason: z.string().max(500).optional(), poa: PoaSchema.optional() }),
  z.object({ action: z.literal('add'), code: z.string().min(3).max(10), reason: z.string().max(500).optional(), poa: PoaSchema.optional() }),
  z.object({ action: z.literal('leave'), code: z.string().min(3).max(10), reason: z.string().max(500).optional() }),
]);

/** The body of a review: the complete final code set in sequence, and the warnings the coder overrides. */
export const ReviewBody = z
  .object({
    decisions: z.array(DecisionSchema).min(1).max(200).openapi({
      description:
        'One decision per proposed code (accept, reject with a reason, replace, or leave out: none is assumed) plus any codes added. The accepted, replaced and added codes form the final code set in the order sent: the first is the principal (inpatient) or first-listed diagnosis. Inpatient encounters need a POA indicator on each (exempt codes may omit it).',
    }),
    overrides: z
      .array(z.object({ editId: z.string().min(1).max(200), reason: z.string().trim().min(1).max(500) }))
      .max(100)
      .default([])
      .openapi({ description: 'Warnings the coder overrides, each with a reason; blocking edits cannot be overridden' }),
  })
  .openapi('CodeReviewRequest');

const NOTICE = "Suggestions need a coder's review before they are used for claims.";
const CODERS = ['coder'] as const;

export const reviewJson = (r: CodeReview) => ({
  id: r.id,
  noteId: r.noteId,
  encounterId: r.encounterId,
  version: r.version,
  codeSetVersion: r.codeSetVersion,
  rankerVersion: r.rankerVersion,
  finalCodes: r.finalCodes,
  reviewedBy: r.actorLabel,
  reviewedAt: r.createdAt.toISOString(),
  overrides: r.overrides,
  decisions: r.decisions.map(({ noteId: _noteId, ...d }) => d),
});

export const WorkspaceEncounterSchema = z.object({
  id: z.uuid().nullable().openapi({ description: 'Null for a note without an encounter: it is its own outpatient encounter' }),
  type: z.enum(ENCOUNTER_TYPES as ['outpatient', 'ED', 'inpatient']),
  start: z.string(),
  end: z.string().nullable(),
  externalId: z.string().nullable(),
});

/** What the coder sees: suggestions merged over the encounter's notes, the edits on the proposed codes, and every saved version. */
export async function workspaceJson(c: { var: AppEnv['Variables'] }, ws: ReviewWorkspace) {
  const reviews = await listWorkspaceReviews(c.var.runtime.db, ws);
  return {
    status: ws.ready ? 'processed' : (ws.notes.find((n) => n.status !== 'processed')?.status ?? 'pending'),
    encounter: { id: ws.encounter.id, type: ws.encounter.type, start: ws.encounter.start.toISOString(), end: ws.encounter.end?.toISOString() ?? null, externalId: ws.encounter.externalId },
    patient: { id: ws.patient.id, mrn: ws.patient.mrn, name: ws.patient.name, sex: ws.patient.sex, birthDate: claimPatient(ws.patient).birthDate ?? null },
    notes: ws.notes.map((n) => ({ id: n.id, kind: n.kind, authoredAt: n.authoredAt.toISOString(), status: n.status, text: n.text })),
    codeSetVersion: ws.codeSetVersion,
    suggestions: ws.suggestions,
    edits: ws.ready ? proposedEdits(ws) : [],
    reviews: reviews.map(reviewJson),
    notice: NOTICE,
  };
}

export const WorkspaceSchema = z
  .object({
    status: z.string(),
    encounter: WorkspaceEncounterSchema,
    patient: z.object({ id: z.uuid(), mrn: z.string(), name: z.string().nullable(), sex: z.string().nullable(), birthDate: z.string().nullable() }),
    notes: z.array(z.object({ id: z.uuid(), kind: z.string(), authoredAt: z.string(), status: z.string(), text: z.string() })),
    codeSetVersion: z.string(),
    suggestions: z.array(SuggestionSchema),
    edits: z.array(ClaimEditSchema).openapi({ description: 'Claim edits on the proposed codes in their proposed order' }),
    reviews: z.array(ReviewSchema),
    notice: z.string(),
  })
  .openapi('CodingWorkspace');

/** Saves a review of a workspace; claim edits that fail become a 422 naming each edit. */
export async function reviewWorkspace(c: { var: AppEnv['Variables'] }, ws: ReviewWorkspace, body: z.infer<typeof ReviewBody>) {
  if (!ws.ready) throw new ProblemError('conflict', 'Not every note is processed yet; review once all suggestions exist.');
  const principal = c.var.principal!;
  try {
    return await saveReview(c.var.runtime.db, ws, { decisions: body.decisions as CoderDecision[], overrides: body.overrides, actor: { keyId: principal.keyId, label: principal.label } });
  } catch (error) {
    if (error instanceof ClaimEditsError) throw claimEditsProblem(error);
    throw error;
  }
}

/** What the audit trail keeps of a review: each decision with its sequence and POA, and each override with its reason. */
export const reviewAuditDetail = (review: CodeReview) => ({
  version: review.version,
  decisions: review.decisions.map((d) => ({ action: d.action, code: d.suggestedCode ?? d.finalCode, finalCode: d.finalCode, sequence: d.sequence ?? null, poa: d.poa ?? null, reason: d.reason })),
  overrides: review.overrides,
});

const Icd10VersionQuery = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a code-set version name: letters, digits, dot, dash or underscore')
  .optional()
  .openapi({ description: 'Code-set version (default: the active one); an unknown version is 404' });

/**
 * Checks a requested code-set version where getCode/searchCodes will look for it, before anything loads it, so an
 * unknown one is a 404 rather than an error.
 */
function requireInstalledVersion(version: string | undefined): void {
  if (version !== undefined && !listVersions().some((v) => v.version === version)) {
    throw new ProblemError('not-found', 'No ICD-10-CM code-set version of that name is installed.');
  }
}

export const codingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/icd10/codes/{code}',
      tags: ['ICD-10-CM'],
      summary: 'Everything about a code: title, billable, hierarchy, instructional notes, 7th characters (reference data)',
      roles: ROLES,
      patientData: false,
      request: { params: CodeParam, query: z.object({ version: Icd10VersionQuery }) },
      responses: { 200: { description: 'The code', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('Icd10Code') } } }, ...problemResponses(404) },
    }),
    async (c) => {
      requireInstalledVersion(c.req.valid('query').version);
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
          version: Icd10VersionQuery,
        }),
      },
      responses: { 200: { description: 'Matches', content: { 'application/json': { schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      requireInstalledVersion(q.version);
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
      const coding = codingService(c);
      let result: NoteCodes;
      if (body.noteId) {
        const note = await coding.note(body.noteId);
        await audit(c, { action: 'note.codes.suggest', patientId: note.patientId, resourceType: 'note', resourceId: note.id });
        result = coding.suggestForNote(note, body.top, body.setting);
      } else {
        // Raw text is patient data too, though no patient is named: who coded what (its size, never its words) is recorded.
        await audit(c, { action: 'icd10.suggest.text', patientId: null, resourceType: 'text', resourceId: null, detail: { chars: body.text!.length } });
        result = await coding.suggestForText(body.text!, body.top, body.setting);
      }
      return c.json({ ...result, notice: NOTICE }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/notes/{id}/codes',
      tags: ['Coding'],
      summary: "A note's coding workspace: suggestions with evidence in context, claim edits on the proposed codes, every version of its final code set",
      description:
        'A note without an encounter is its own outpatient encounter. A note that belongs to an encounter answers with its encounter’s workspace (the codes of an encounter are reviewed together): `encounter.id` says which.',
      roles: ['coder', 'doctor'],
      patientData: true,
      request: { params: IdParam },
      responses: {
        200: { description: 'The workspace', content: { 'application/json': { schema: WorkspaceSchema } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const { note, workspace } = await codingService(c).noteWorkspace(id);
      await audit(c, { action: 'note.codes.read', patientId: note.patientId, resourceType: 'note', resourceId: id });
      return c.json(await workspaceJson(c, workspace), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/notes/{id}/codes/review',
      tags: ['Coding'],
      summary: 'Decide on every proposed code (accept, reject with reason, replace, leave out) and add missed ones; claim edits run; stores a new version of the note’s final code set',
      description:
        'Each review states the complete final code set: the codes accepted, replaced or added, in sequence (the first is first-listed). Every proposed code needs a decision: nothing is assumed, and a review leaving one undecided is refused (422). Claim edits then run on the final set: a blocking edit refuses the review (422, `errors[].path` = `edits/blocking/<id>`); a warning refuses it until `overrides` names it with a reason (`edits/warning/<id>`). A note that belongs to an encounter is reviewed through its encounter (409). To change one code of an earlier version, send that version’s decisions again with the change (the web UI starts from the latest version).',
      roles: CODERS,
      patientData: true,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: ReviewBody } } },
      },
      responses: {
        201: { description: 'The new final code set version, with every edit it raised (warnings all overridden)', content: { 'application/json': { schema: ReviewSchema.extend({ edits: z.array(ClaimEditSchema) }) } } },
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const { note, workspace } = await codingService(c).noteToReview(c.req.valid('param').id);
      const { review, outcome } = await reviewWorkspace(c, workspace, c.req.valid('json'));
      await audit(c, { action: 'note.codes.review', patientId: workspace.patient.id, resourceType: 'note', resourceId: note.id, detail: reviewAuditDetail(review) });
      return c.json({ ...reviewJson(review), edits: outcome.edits }, 201);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/coding/worklist',
      tags: ['Coding'],
      summary: 'Encounters (and notes without one, each its own outpatient encounter) awaiting review or reviewed, oldest first',
      description:
        'An encounter is listed once all its notes are processed. `daysWaiting` counts from the arrival of its last note; `blocking` says whether the proposed codes, as proposed, fail a blocking claim edit (the coder must change them).',
      roles: CODERS,
      patientData: true,
      request: {
        query: PageQuery.extend({
          status: z.enum(['awaiting', 'reviewed']).default('awaiting'),
          type: z.enum(ENCOUNTER_TYPES as ['outpatient', 'ED', 'inpatient']).optional(),
          kind: z.string().max(64).optional().openapi({ description: 'Encounters with a note of this kind' }),
          patientId: z.uuid().optional(),
        }),
      },
      responses: {
        200: {
          description: 'Worklist',
          content: {
            'application/json': {
              schema: pageOf(
                z.object({
                  encounterId: z.uuid().nullable(),
                  noteId: z.uuid().nullable().openapi({ description: 'Set for a note without an encounter' }),
                  patientId: z.uuid(),
                  mrn: z.string(),
                  name: z.string().nullable(),
                  type: z.enum(ENCOUNTER_TYPES as ['outpatient', 'ED', 'inpatient']),
                  start: z.string(),
                  end: z.string().nullable(),
                  daysWaiting: z.number().int(),
                  noteCount: z.number().int(),
                  kinds: z.array(z.string()),
                  proposedCount: z.number().int(),
                  blocking: z.boolean(),
                  reviewVersion: z.number().int().nullable(),
                }),
                'CodingWorklistPage',
              ),
            },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await codingService(c).worklist({ status: q.status, type: q.type, kind: q.kind, patientId: q.patientId }, { limit: q.limit, cursor: q.cursor });
      await auditList(
        c,
        'coding.worklist',
        page.items.map((i) => (i.encounterId ? { patientId: i.patientId, resourceType: 'encounter', resourceId: i.encounterId } : { patientId: i.patientId, resourceType: 'note', resourceId: i.noteId })),
      );
      return c.json(
        {
          items: page.items.map((i) => ({
            encounterId: i.encounterId,
            noteId: i.noteId,
            patientId: i.patientId,
            mrn: i.mrn,
            name: i.name,
            type: i.type,
            start: i.start.toISOString(),
            end: i.end?.toISOString() ?? null,
            daysWaiting: i.daysWaiting,
            noteCount: i.noteCount,
            kinds: i.kinds,
            proposedCount: i.proposedCodes.length,
            blocking: i.blocking,
            reviewVersion: i.reviewVersion,
          })),
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
      summary: 'The latest final code set of every reviewed encounter (a note without one is its own outpatient encounter): CSV (a row per code with sequence, diagnosis type and POA), FHIR R4 collection Bundle (the Encounter, a Condition per code and a draft Claim whose diagnosis carries sequence, type and onAdmission; provider and coverage are left for the billing system), or plain JSON',
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
      const rows = await codingService(c).finalCodeSets({ since: q.since ? new Date(q.since) : undefined, patientId: q.patientId });
      await auditList(
        c,
        'coding.export',
        rows.map((r) => (r.encounterId ? { patientId: r.patientId, resourceType: 'encounter', resourceId: r.encounterId } : { patientId: r.patientId, resourceType: 'note', resourceId: r.noteId })),
        { format: q.format },
      );
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
            encounterId: r.encounterId,
            noteId: r.noteId,
            encounterType: r.encounterType,
            start: r.start.toISOString(),
            end: r.end?.toISOString() ?? null,
            noteIds: r.noteIds,
            patientId: r.patientId,
            mrn: r.mrn,
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
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/coding/validate',
      tags: ['Coding'],
      summary: 'Claim edits for a code set submitted by another system: blocking edits and warnings, the same checks as a coder’s save',
      description:
        'Codes in claim order (the first is principal / first-listed). Blocking: unknown or duplicate code, non-billable header, missing 7th character, Excludes1 pair, overlapping codes (one CKD stage, one MI type, …), an unspecified code beside a specified sibling, a sex-, maternity- or newborn-specific code that does not fit the patient. Warnings: an unmet code-first / use-additional-code instruction, a code-first instruction met out of order, a symptom beside a diagnosis that routinely explains it. Sex and birth date are optional: without them those edits are not run.',
      roles: ['coder', 'doctor'],
      patientData: false,
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  codes: z.array(z.string().trim().min(1).max(10)).min(1).max(100),
                  patient: z.object({ sex: z.enum(['female', 'male', 'other', 'unknown']).optional(), birthDate: z.iso.date().optional() }).default({}),
                  encounter: z.object({ type: z.enum(ENCOUNTER_TYPES as ['outpatient', 'ED', 'inpatient']).default('outpatient'), start: IsoDateTime.optional() }).default({ type: 'outpatient' }),
                })
                .openapi('ClaimValidationRequest'),
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The edits (an empty list: the code set passes)',
          content: { 'application/json': { schema: z.object({ codeSetVersion: z.string(), valid: z.boolean(), edits: z.array(ClaimEditSchema) }).openapi('ClaimValidation') } },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // Claims are checked against the code set in force (CLINOTE_ICD10_VERSION).
      const version = activeVersion();
      const edits: ClaimEdit[] = validateClaim(body.codes, body.patient, { type: body.encounter.type, start: body.encounter.start ? new Date(body.encounter.start) : undefined }, loadCodeSet(version));
      return c.json({ codeSetVersion: version, valid: blockingEdits(edits).length === 0 && edits.length === 0, edits }, 200);
    },
  );
