import { OpenAPIHono, z } from '@hono/zod-openapi';
import { DuplicateMrnError, PatientNotFoundError } from '../../patients/errors.ts';
import { findPatients, readPatient, registerPatient } from '../../patients/service.ts';
import { audit, auditList } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDate, PageQuery, pageOf } from '../schemas.ts';
import type { Patient } from '../../patients/types.ts';

registerDomainError(PatientNotFoundError, 'not-found');
registerDomainError(DuplicateMrnError, 'conflict');

// Transitional: routes/images.ts and routes/history.ts import requirePatient from here; once they import the
// patients service, delete this.
export { requirePatient } from '../../patients/service.ts';

export const PatientSchema = z
  .object({
    id: z.uuid(),
    mrn: z.string(),
    name: z.string().nullable(),
    birthDate: z.string().nullable(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Patient');

const NewPatientSchema = z
  .object({
    mrn: z.string().trim().min(1).max(64).regex(/^[\w.\-/]+$/, 'letters, digits and . _ - / only').openapi({ example: 'BV-2026-000123' }),
    name: z.string().trim().min(1).max(200).optional(),
    birthDate: IsoDate.optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  })
  .openapi('NewPatient');

const toJson = (p: Patient) => ({ ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() });

/** Everyone who treats or codes may look a patient up; admins manage keys, not charts. */
export const PATIENT_READERS = ['doctor', 'clinician', 'coder', 'radiologist'] as const;

export const patientRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/patients',
      tags: ['Patients'],
      summary: 'Register a patient (MRN unique)',
      roles: ['doctor', 'clinician'],
      patientData: true,
      request: { body: { required: true, content: { 'application/json': { schema: NewPatientSchema } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: PatientSchema } } },
        ...problemResponses(409),
      },
    }),
    async (c) => {
      const patient = await registerPatient(c.var.runtime.db, c.req.valid('json'));
      await audit(c, { action: 'patient.create', patientId: patient.id, resourceType: 'patient', resourceId: patient.id });
      return c.json(toJson(patient), 201);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients',
      tags: ['Patients'],
      summary: 'List or find patients (paginated; by exact MRN, by any part of the name, or by name or MRN prefix)',
      roles: PATIENT_READERS,
      patientData: true,
      request: {
        query: PageQuery.extend({
          mrn: z.string().trim().min(1).max(64).optional(),
          name: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .optional()
            .openapi({ description: 'Each word starts a word of the name (surname or given name), ignoring case and accents: "nguyen" finds "Nguyễn Thị Đào", "okaf" finds "Chidi Okafor"' }),
          q: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .optional()
            .openapi({ description: 'What a person types in a search box: matches the name as `name` does, or a case-insensitive prefix of the MRN' }),
        }),
      },
      responses: { 200: { description: 'A page of patients', content: { 'application/json': { schema: pageOf(PatientSchema, 'PatientPage') } } } },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await findPatients(c.var.runtime.db, { mrn: q.mrn, name: q.name, q: q.q }, c.var.principal?.role, { limit: q.limit, cursor: q.cursor });
      await auditList(c, 'patient.list', page.items.map((p) => ({ patientId: p.id, resourceType: 'patient', resourceId: p.id })));
      return c.json({ items: page.items.map(toJson), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}',
      tags: ['Patients'],
      summary: 'Get a patient',
      roles: PATIENT_READERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'The patient', content: { 'application/json': { schema: PatientSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patient = await readPatient(c.var.runtime.db, id, c.var.principal?.role);
      await audit(c, { action: 'patient.read', patientId: id, resourceType: 'patient', resourceId: id });
      return c.json(toJson(patient), 200);
    },
  );
