import { OpenAPIHono, z } from '@hono/zod-openapi';
import { sectionTypes, type SectionType } from '../../notes/structuring/section-catalog.ts';
import { listPatientPassages, searchCohort, searchPatientHistory, type HistoryQuery, type SearchHit } from '../../history/search-service.ts';
import { loadPatientSummary } from '../../history/summary-service.ts';
import type { Measurement, PatientSummary, SourceLink } from '../../history/summary.ts';
import { getEmbedder, type Embedder } from '../../ml/embedder.ts';
import { enqueueHistoryReindex } from '../../history/jobs.ts';
import { audit } from '../audit.ts';
import type { AppEnv } from '../env.ts';
import { problemResponses, ProblemError } from '../problem.ts';
import { protectedRoute } from '../route.ts';
import { IdParam, IsoDate, IsoDateTime } from '../schemas.ts';
import { requirePatient } from '../../patients/service.ts';

/** Those who treat patients read their history; coders work from the coded note, not the history. */
export const HISTORY_READERS = ['doctor', 'clinician'] as const;

const DateBound = z.union([IsoDate, IsoDateTime]);
const csvOf = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z
    .string()
    .max(1000)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1, `at least one ${what}`));
const kindList = z
  .string()
  .max(1000)
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(64)).min(1, 'at least one note kind'));

const SearchFilters = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: 'Passages to return (1–100, default 10)' }),
  since: DateBound.optional().openapi({ description: 'Notes dated on or after (ISO date or date-time)' }),
  until: DateBound.optional().openapi({ description: 'Notes dated before (ISO date or date-time)' }),
  section: csvOf(sectionTypes, 'section').optional().openapi({ type: 'string', description: `Comma-separated sections: ${sectionTypes.join(', ')}` }),
  kind: kindList.optional().openapi({ type: 'string', description: 'Comma-separated note kinds (progress, discharge, fhir-record …)' }),
});

const PatientSearchQuery = SearchFilters.extend({
  q: z.string().trim().max(500).optional().openapi({ description: 'Question or keywords; without it the newest passages matching the filters are listed' }),
});

const CohortSearchBody = SearchFilters.extend({
  q: z.string().trim().min(1).max(500),
  purpose: z
    .string()
    .trim()
    .min(10, 'state why you search across patients (at least 10 characters)')
    .max(500)
    .openapi({ description: 'Why this cross-patient search is needed; recorded in the audit trail', example: 'Quality review of DVT prophylaxis on ward 3' }),
}).openapi('CohortSearchRequest');

const HighlightSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  match: z.enum(['term', 'concept']).openapi({ description: '`term`: a query word or a form of it; `concept`: another name for a query concept' }),
  concept: z.string().optional(),
});

const SearchHitSchema = z
  .object({
    passageId: z.string(),
    patientId: z.uuid(),
    noteId: z.uuid(),
    noteDate: z.string(),
    noteKind: z.string(),
    section: z.enum(sectionTypes),
    sectionTitle: z.string(),
    start: z.number().int().openapi({ description: 'Offset of the passage in the note text' }),
    end: z.number().int(),
    text: z.string(),
    score: z.number(),
    lexicalRank: z.number().int().nullable(),
    semanticRank: z.number().int().nullable(),
    highlights: z.array(HighlightSchema).openapi({ description: 'Offsets relative to the passage text' }),
    negated: z.boolean().openapi({ description: 'The passage mentions the query concept only to deny it ("no history of DVT")' }),
  })
  .openapi('HistorySearchHit');

const SearchResultSchema = z.object({ items: z.array(SearchHitSchema) }).openapi('HistorySearchResult');
const CohortResultSchema = z
  .object({
    items: z.array(SearchHitSchema),
    iterativeScan: z.boolean().openapi({ description: 'pgvector iterative index scans were used (filtered searches stay complete)' }),
    reindexing: z.boolean().openapi({ description: 'Passages embedded by another model were left out while they are re-embedded' }),
  })
  .openapi('CohortSearchResult');

const SourceSchema = z
  .object({ noteId: z.uuid(), start: z.number().int(), end: z.number().int(), observedAt: z.string(), sourceRef: z.string().nullable() })
  .openapi('HistorySource');
const MeasurementSchema = z.object({
  observedAt: z.string(),
  value: z.number().nullable(),
  valueText: z.string().nullable(),
  unit: z.string().nullable(),
  interpretation: z.string().nullable().openapi({ description: 'Against the adult reference range: normal, low, high, critical-low, critical-high; null when not judged' }),
  source: SourceSchema,
});
const SeriesLabelsSchema = {
  shortName: z.string().nullable().openapi({ description: 'Short name for people ("Creatinine", "SpO2"); null for facts stored before it was recorded' }),
  unitDisplay: z.string().nullable().openapi({ description: 'The unit for people ("mL/min/1.73 m²")' }),
  referenceRange: z.object({ low: z.number().optional(), high: z.number().optional(), unit: z.string(), text: z.string() }).nullable(),
};
const VitalPointSchema = MeasurementSchema.extend({ components: z.array(z.unknown()).nullable() });
const SummarySchema = z
  .object({
    problems: z.array(
      z.object({
        display: z.string().openapi({ description: 'The most specific name among the mentions merged into this problem' }),
        aliases: z.array(z.string()).openapi({ description: 'The other names the merged mentions used ("HTN", "hypertension"), first use first' }),
        codes: z.array(z.string()).openapi({ description: 'The shown mention\'s codes first, then the other mentions\' codes' }),
        firstMentioned: z.string(),
        lastMentioned: z.string(),
        mentions: z.number().int().openapi({ description: 'Mentions of the concept ("HTN", "hypertension", "essential hypertension" are one), across notes and records' }),
        status: z.string().nullable(),
        pastOnly: z.boolean().openapi({ description: 'Every mention is past history and no coded record calls it active' }),
        sources: z.array(SourceSchema),
      }),
    ),
    medications: z.array(
      z.object({ display: z.string(), codes: z.array(z.string()), status: z.string().nullable(), lastMentioned: z.string(), detail: z.record(z.string(), z.unknown()), source: SourceSchema }),
    ),
    allergies: z.array(z.object({ display: z.string(), codes: z.array(z.string()), reactions: z.array(z.string()), recordedAt: z.string(), source: SourceSchema })),
    noKnownAllergies: SourceSchema.nullable(),
    vitals: z.array(
      VitalPointSchema.extend({
        display: z.string(),
        codes: z.array(z.string()),
        ...SeriesLabelsSchema,
        points: z.array(VitalPointSchema).openapi({ description: 'Every reading, oldest first (the last is the latest, also given above)' }),
      }),
    ),
    labs: z.array(
      z.object({
        display: z.string(),
        codes: z.array(z.string()),
        ...SeriesLabelsSchema,
        points: z.array(MeasurementSchema.extend({ flag: z.string().nullable() })),
        change: z.number().nullable(),
      }),
    ),
    recentNotes: z.array(z.object({ id: z.uuid(), kind: z.string(), author: z.string(), authoredAt: z.string() })),
  })
  .openapi('PatientSummary');

const hitJson = (h: SearchHit) => ({ ...h, noteDate: h.noteDate.toISOString() });
const sourceJson = (s: SourceLink) => ({ ...s, observedAt: s.observedAt.toISOString() });
const measurementJson = <M extends Measurement>(m: M) => ({ ...m, observedAt: m.observedAt.toISOString(), source: sourceJson(m.source) });
const summaryJson = (s: PatientSummary) => ({
  problems: s.problems.map((p) => ({ ...p, firstMentioned: p.firstMentioned.toISOString(), lastMentioned: p.lastMentioned.toISOString(), sources: p.sources.map(sourceJson) })),
  medications: s.medications.map((m) => ({ ...m, lastMentioned: m.lastMentioned.toISOString(), source: sourceJson(m.source) })),
  allergies: s.allergies.map((a) => ({ ...a, recordedAt: a.recordedAt.toISOString(), source: sourceJson(a.source) })),
  noKnownAllergies: s.noKnownAllergies ? sourceJson(s.noKnownAllergies) : null,
  vitals: s.vitals.map((v) => ({ ...measurementJson(v), points: v.points.map(measurementJson) })),
  labs: s.labs.map((l) => ({ display: l.display, codes: l.codes, shortName: l.shortName, unitDisplay: l.unitDisplay, referenceRange: l.referenceRange, points: l.points.map(measurementJson), change: l.change })),
  recentNotes: s.recentNotes.map((n) => ({ ...n, authoredAt: n.authoredAt.toISOString() })),
});

function historyQuery(q: z.infer<typeof SearchFilters> & { q?: string | undefined }): HistoryQuery {
  return {
    text: q.q,
    k: q.k,
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
    sections: q.section as SectionType[] | undefined,
    kinds: q.kind,
  };
}

/** The embedding model, or 503 when it cannot be loaded (a missing or corrupt model folder). */
async function embedder(): Promise<Embedder> {
  try {
    return await getEmbedder();
  } catch {
    throw new ProblemError('unavailable', 'The embedding model could not be loaded; ask IT to check CLINOTE_EMBED_MODEL.');
  }
}

export const historyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}/search',
      tags: ['History'],
      summary: "Search a patient's history (hybrid full-text + semantic, exact within the patient)",
      description:
        'Passages of the patient\'s notes ranked by reciprocal-rank fusion of BM25 and exact embedding distance, with the note date and section, highlighted query words and synonyms/abbreviations of the query\'s concepts, and `negated` when the passage denies the concept. Without `q`, the newest passages matching the filters.',
      roles: HISTORY_READERS,
      patientData: true,
      request: { params: IdParam, query: PatientSearchQuery },
      responses: { 200: { description: 'Matching passages, best first', content: { 'application/json': { schema: SearchResultSchema } } }, ...problemResponses(404, 503) },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const q = c.req.valid('query');
      const { db } = c.var.runtime;
      await requirePatient(db, patientId);
      let hits;
      if (q.q) {
        const model = await embedder();
        // This patient's passages are re-embedded inline by the search; everyone else's by the background job.
        hits = await searchPatientHistory(db, model, patientId, { ...historyQuery(q), text: q.q }, {
          onStaleIndex: () => enqueueHistoryReindex(c.var.runtime, c.var.requestId),
        });
      } else hits = await listPatientPassages(db, patientId, historyQuery(q));
      await audit(c, {
        action: 'history.search',
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        detail: { k: q.k, hits: hits.length, filtered: Boolean(q.since || q.until || q.section || q.kind), query: Boolean(q.q) },
      });
      return c.json({ items: hits.map(hitJson) }, 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'get',
      path: '/v1/patients/{id}/summary',
      tags: ['History'],
      summary: 'Consultation summary: active problems, current medications, allergies, vitals (latest and over time), lab trends, recent notes',
      description: 'Every item links to the note span (and imported record) it comes from.',
      roles: HISTORY_READERS,
      patientData: true,
      request: { params: IdParam },
      responses: { 200: { description: 'The summary', content: { 'application/json': { schema: SummarySchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id: patientId } = c.req.valid('param');
      const { db } = c.var.runtime;
      await requirePatient(db, patientId);
      const summary = await loadPatientSummary(db, patientId);
      await audit(c, { action: 'history.summary', patientId, resourceType: 'patient', resourceId: patientId });
      return c.json(summaryJson(summary), 200);
    },
  )
  .openapi(
    protectedRoute({
      method: 'post',
      path: '/v1/cohort/search',
      tags: ['History'],
      summary: 'Search across all patients (clinicians, with a stated purpose; audited per patient found)',
      description:
        'Nearest passages across patients through the HNSW index (pgvector iterative scans where available), re-ranked with full-text scores. Approximate by design; per-patient search is exact.',
      roles: ['clinician'],
      patientData: true,
      request: { body: { required: true, content: { 'application/json': { schema: CohortSearchBody } } } },
      responses: { 200: { description: 'Matching passages, best first', content: { 'application/json': { schema: CohortResultSchema } } }, ...problemResponses(503) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { runtime } = c.var;
      const result = await searchCohort(runtime.db, await embedder(), { ...historyQuery(body), text: body.q });
      if (result.staleIndex) await enqueueHistoryReindex(runtime, c.var.requestId);
      const patients = [...new Set(result.hits.map((h) => h.patientId))];
      await audit(
        c,
        { action: 'history.cohort-search', patientId: null, resourceType: 'cohort', resourceId: null, detail: { purpose: body.purpose, k: body.k, hits: result.hits.length, patients: patients.length } },
        ...patients.map((patientId) => ({ action: 'history.cohort-hit', patientId, resourceType: 'patient', resourceId: patientId, detail: { purpose: body.purpose } })),
      );
      return c.json({ items: result.hits.map(hitJson), iterativeScan: result.iterativeScan, reindexing: result.staleIndex }, 200);
    },
  );
