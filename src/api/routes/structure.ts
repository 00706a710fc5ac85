import { OpenAPIHono, z } from '@hono/zod-openapi';
import { toFhirBundle } from '../../notes/structuring/fhir.ts';
import { llmConfigFromEnv } from '../../notes/structuring/llm.ts';
import { structuredNoteSchema } from '../../notes/structuring/schema.ts';
import { sttConfigFromEnv, transcribeAudio } from '../../notes/structuring/stt.ts';
import { TranscriptionError } from '../../notes/structuring/stt.ts';
import { learnedFinder } from '../../notes/learned-finder-files.ts';
import { structureText } from '../../notes/structure.ts';
import { NoteNotStructuredError } from '../../notes/errors.ts';
import { requireStructuredNote } from '../../notes/service.ts';
import { audit } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { registerDomainError } from '../errors.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam } from '../schemas.ts';

registerDomainError(TranscriptionError, 'unavailable');
registerDomainError(NoteNotStructuredError, 'conflict');

const FhirBundleSchema = z.record(z.string(), z.unknown()).openapi('FhirBundle', { description: 'FHIR R4 Bundle (type document)' });
// Re-wrapped: the clinical schemas may be created before @hono/zod-openapi extends zod, so they lack .openapi().
const StructuredNoteSchema = z.object(structuredNoteSchema.shape).openapi('StructuredNote');
const AUDIO_TYPES = ['audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp4', 'audio/webm', 'audio/ogg', 'audio/flac'];

export const structureRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/structure',
      tags: ['Notes'],
      summary: 'Structure free text now (stateless): sections, problems, medications, allergies, vitals, labs with offsets and context',
      roles: ['doctor', 'clinician', 'coder'],
      patientData: true,
      request: {
        query: z.object({ format: z.enum(['json', 'fhir']).default('json').openapi({ description: '`fhir` returns a FHIR R4 document Bundle' }) }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  text: z.string().min(1).max(200_000),
                  source: z.enum(['typed', 'dictation']).default('typed').openapi({ description: '`dictation` applies spoken punctuation and commands first' }),
                })
                .openapi('StructureRequest'),
            },
          },
        },
      },
      responses: {
        200: { description: 'The structured note (or a FHIR Bundle with ?format=fhir)', content: { 'application/json': { schema: StructuredNoteSchema.or(FhirBundleSchema) } } },
      },
    }),
    async (c) => {
      const { text, source } = c.req.valid('json');
      const { config, logger } = c.var.runtime;
      const note = await structureText(text, source, llmConfigFromEnv(config), await learnedFinder(), (e) => logger.warn({ error: e.name }, 'LLM structuring pass failed'));
      await audit(c, { action: 'text.structure', patientId: null, resourceType: 'text', resourceId: null, detail: { characters: text.length } });
      if (c.req.valid('query').format === 'fhir') return c.json(toFhirBundle(note, { text }) as unknown as Record<string, unknown>, 200);
      return c.json(note, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/notes/{id}/fhir',
      tags: ['Notes'],
      summary: "A processed note's structure as a FHIR R4 document Bundle",
      roles: ['doctor', 'clinician', 'coder'],
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'FHIR Bundle (served as application/fhir+json)', content: { 'application/json': { schema: FhirBundleSchema } } }, ...problemResponses(404, 409) },
    }),
    async (c) => {
      const { note, structure } = await requireStructuredNote(c.var.runtime.db, c.req.valid('param').id);
      await audit(c, { action: 'note.fhir', patientId: note.patientId, resourceType: 'note', resourceId: note.id });
      const bundle = toFhirBundle(structure, { text: note.text, noteId: note.id, patientId: note.patientId, authoredAt: note.authoredAt.toISOString() });
      return c.json(bundle as unknown as Record<string, unknown>, 200, { 'Content-Type': 'application/fhir+json; charset=utf-8' });
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/transcriptions',
      tags: ['Notes'],
      summary: 'Transcribe dictated audio with the configured speech-to-text server (STT_BASE_URL); 404 when none is configured, 503 when it fails',
      roles: ['doctor'],
      patientData: true,
      request: {
        query: z.object({ language: z.string().regex(/^[a-z]{2}$/).optional() }),
        body: { required: true, content: Object.fromEntries(AUDIO_TYPES.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])) },
      },
      responses: {
        200: { description: 'Transcript (submit it as a note with source "dictation")', content: { 'application/json': { schema: z.object({ text: z.string(), language: z.string().nullable(), durationSeconds: z.number().nullable() }) } } },
        ...problemResponses(404, 413, 415, 503),
      },
    }),
    async (c) => {
      const stt = sttConfigFromEnv(c.var.runtime.config);
      if (!stt) throw new ProblemError('not-found', 'Speech-to-text is not enabled on this server (STT_BASE_URL is not set).');
      const mimeType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!AUDIO_TYPES.includes(mimeType)) throw new ProblemError('unsupported-media-type', `Send audio as one of: ${AUDIO_TYPES.join(', ')}.`);
      const data = new Uint8Array(await c.req.arrayBuffer());
      if (data.length === 0) throw new ProblemError('validation', 'The audio body is empty.');
      const language = c.req.valid('query').language;
      const transcript = await transcribeAudio({ data, mimeType, filename: `dictation.${mimeType.split('/')[1]}`, ...(language ? { language } : {}) }, stt);
      await audit(c, { action: 'audio.transcribe', patientId: null, resourceType: 'audio', resourceId: null, detail: { bytes: data.length } });
      return c.json(transcript, 200);
    },
  );
