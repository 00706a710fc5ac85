import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ENCOUNTER_TYPES, EncounterError, EncounterNotFoundError, NoteInOtherEncounterError } from '../../encounters/encounter.ts';
import { attachNote, encounterNotes, listEncounters, loadEncounterWorkspace, openEncounter, requireEncounter } from '../../encounters/service.ts';
import { audit, auditList } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDateTime, PageQuery, pageOf } from '../schemas.ts';
import { ClaimEditSchema, ReviewBody, ReviewSchema, reviewAuditDetail, reviewJson, reviewWorkspace, WorkspaceSchema, workspaceJson } from './coding.ts';
import type { Encounter } from '../../encounters/types.ts';
import type { Note } from '../../notes/types.ts';

registerDomainError(EncounterError, 'unprocessable');
registerDomainError(EncounterNotFoundError, 'not-found');
registerDomainError(NoteInOtherEncounterError, 'conflict');

const EncounterTypeSchema = z.enum(ENCOUNTER_TYPES as ['outpatient', 'ED', 'inpatient']);

const EncounterSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    type: EncounterTypeSchema,
    start: z.string().openapi({ description: 'Start; admission for inpatient stays' }),
    end: z.string().nullable().openapi({ description: 'End; discharge for inpatient stays; null while it lasts' }),
    externalId: z.string().nullable().openapi({ description: "The EMR's encounter id (unique per patient)" }),
    createdAt: z.string(),
  })
  .openapi('Encounter');

const NoteRefSchema = z.object({ id: z.uuid(), kind: z.string(), authoredAt: z.string(), status: z.string() });

const encounterJson = (e: Encounter) => ({
  id: e.id,
  patientId: e.patientId,
  type: e.type,
  start: e.start.toISOString(),
  end: e.end?.toISOString() ?? null,
  externalId: e.externalId,
  createdAt: e.createdAt.toISOString(),
});

const encounterWithNotesJson = (e: Encounter, notes: readonly Note[]) => ({
  ...encounterJson(e),
  notes: notes.map((n) => ({ id: n.id, kind: n.kind, authoredAt: n.authoredAt.toISOString(), status: n.status })),
});

const ENCOUNTER_WRITERS = ['doctor', 'clinician'] as const;
const ENCOUNTER_READERS = ['doctor', 'clinician', 'coder'] as const;

export const encounterRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/patients/{id}/encounters',
      tags: ['Encounters'],
      summary: "Open a patient's encounter: outpatient visit, ED visit or inpatient stay (an external id already known returns that encounter)",
      roles: ENCOUNTER_WRITERS,
      patientData: true,
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  type: EncounterTypeSchema,
                  start: IsoDateTime.openapi({ description: 'Start; admission for inpatient stays' }),
                  end: IsoDateTime.optional().openapi({ description: 'End; discharge for inpatient stays' }),
                  externalId: z.string().trim().min(1).max(128).optional(),
                })
                .openapi('NewEncounter'),
            },
          },
        },
      },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: EncounterSchema } } },
        200: { description: 'An encounter with this external id already exists: that one', content: { 'application/json': { schema: EncounterSchema } } },
        ...problemResponses(404, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { encounter, created } = await openEncounter(c.var.runtime.db, c.req.valid('param').id, {
        type: body.type,
        start: new Date(body.start),
        end: body.end ? new Date(body.end) : null,
        externalId: body.externalId ?? null,
      });
      await audit(c, { action: created ? 'encounter.create' : 'encounter.read', patientId: encounter.patientId, resourceType: 'encounter', resourceId: encounter.id });
      return created ? c.json(encounterJson(encounter), 201) : c.json(encounterJson(encounter), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}/encounters',
      tags: ['Encounters'],
      summary: "A patient's encounters, latest first",
      roles: ENCOUNTER_READERS,
      patientData: true,
      request: { params: IdParam, query: PageQuery },
      responses: { 200: { description: 'Encounters', content: { 'application/json': { schema: pageOf(EncounterSchema, 'EncounterPage') } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const q = c.req.valid('query');
      const page = await listEncounters(c.var.runtime.db, patientId, { limit: q.limit, cursor: q.cursor });
      await auditList(c, 'encounter.list', page.items.map((e) => ({ patientId: e.patientId, resourceType: 'encounter', resourceId: e.id })));
      return c.json({ items: page.items.map(encounterJson), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/encounters/{id}',
      tags: ['Encounters'],
      summary: 'An encounter with its notes (oldest first)',
      roles: ENCOUNTER_READERS,
      patientData: true,
      request: { params: IdParam },
      responses: {
        200: { description: 'The encounter', content: { 'application/json': { schema: EncounterSchema.extend({ notes: z.array(NoteRefSchema) }) } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const encounter = await requireEncounter(c.var.runtime.db, c.req.valid('param').id);
      await audit(c, { action: 'encounter.read', patientId: encounter.patientId, resourceType: 'encounter', resourceId: encounter.id });
      return c.json(encounterWithNotesJson(encounter, await encounterNotes(c.var.runtime.db, encounter.id)), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/encounters/{id}/notes',
      tags: ['Encounters'],
      summary: "Put one of the patient's notes in the encounter (a note belongs to one encounter at most)",
      description: 'A note already reviewed on its own keeps that review; from now on its codes are reviewed with the encounter.',
      roles: ENCOUNTER_WRITERS,
      patientData: true,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ noteId: z.uuid() }) } } } },
      responses: {
        200: { description: 'The encounter with its notes', content: { 'application/json': { schema: EncounterSchema.extend({ notes: z.array(NoteRefSchema) }) } } },
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const encounter = await requireEncounter(c.var.runtime.db, c.req.valid('param').id);
      const { noteId } = c.req.valid('json');
      const notes = await attachNote(c.var.runtime.db, encounter, noteId);
      await audit(c, { action: 'encounter.note.attach', patientId: encounter.patientId, resourceType: 'encounter', resourceId: encounter.id, detail: { noteId } });
      return c.json(encounterWithNotesJson(encounter, notes), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/encounters/{id}/codes',
      tags: ['Coding'],
      summary: "An encounter's coding workspace: its notes' suggestions merged (one per code, evidence from every note), claim edits on the proposed codes, every version of its final code set",
      roles: ['coder', 'doctor'],
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'The workspace', content: { 'application/json': { schema: WorkspaceSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const ws = await loadEncounterWorkspace(c.var.runtime.db, c.req.valid('param').id);
      if (!ws) throw new ProblemError('not-found', 'No encounter with this id.');
      await audit(c, { action: 'encounter.codes.read', patientId: ws.patient.id, resourceType: 'encounter', resourceId: ws.encounter.id });
      return c.json(await workspaceJson(c, ws), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/encounters/{id}/codes/review',
      tags: ['Coding'],
      summary: "Decide on every proposed code of an encounter, sequence them (first = principal) with POA for inpatient stays; claim edits run; stores a new version of the encounter's final code set",
      description:
        'As `POST /v1/notes/{id}/codes/review`, for the encounter’s merged suggestions. Inpatient encounters need a POA indicator (Y, N, U, W) on every final code except exempt ones.',
      roles: ['coder'],
      patientData: true,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ReviewBody } } } },
      responses: {
        201: { description: 'The new final code set version', content: { 'application/json': { schema: ReviewSchema.extend({ edits: z.array(ClaimEditSchema) }) } } },
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const ws = await loadEncounterWorkspace(c.var.runtime.db, c.req.valid('param').id);
      if (!ws) throw new ProblemError('not-found', 'No encounter with this id.');
      if (ws.notes.length === 0) throw new ProblemError('conflict', 'The encounter has no notes to code yet.');
      const { review, outcome } = await reviewWorkspace(c, ws, c.req.valid('json'));
      await audit(c, { action: 'encounter.codes.review', patientId: ws.patient.id, resourceType: 'encounter', resourceId: ws.encounter.id, detail: reviewAuditDetail(review) });
      return c.json({ ...reviewJson(review), edits: outcome.edits }, 201);
    },
  );
