/**
 * `clinote bench search`: history search at scale, on PGlite or PostgreSQL.
 *
 * Corpus: synthetic patients whose notes are drawn (seeded, reproducibly) from real text in the shared data:
 * ACI-BENCH visit notes, MTSamples transcriptions, CodiEsp dev case reports and the Synthea records rendered as
 * record notes. Every pool note is structured and split once; a patient gets pool notes, each with its own date
 * and note row, until it has the requested number of passages.
 *
 * Measured:
 * - ingest passages/s: embedding + insert (notes and passages, HNSW index maintained) over the first
 *   `freshPassages` passages, each embedded anew. The rest of the corpus reuses the vector of its pool passage
 *   (the same text always gets the same vector) and is bulk-loaded without the HNSW index, which is built
 *   afterwards, so that a million passages load in reasonable time; its insert rate and the index build time
 *   are reported separately.
 * - per-patient search p50/p99 over `queries` queries for hybrid, BM25-only and vector-only, plus recall@10 of
 *   the per-patient vector ranking against a brute-force ranking of that patient's vectors.
 * - cross-patient HNSW (iterative scans) recall@10 against an exact scan, with the latency of both and of the
 *   full cohort search.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { structureNote } from '../src/clinical/structure.ts';
import type { Database } from '../src/db/database.ts';
import { conceptMentions, mentionsWithin, type ConceptMention } from '../src/history/concepts.ts';
import { readFhirBundle } from '../src/history/fhir/bundle.ts';
import { modelRef } from '../src/history/indexing.ts';
import { embeddingInput, splitIntoPassages, type Passage } from '../src/history/passages.ts';
import { searchCohort, searchPatientHistory, type SearchMode } from '../src/history/search.ts';
import type { Embedder } from '../src/ml/embedder.ts';
import { ensureCohortIndex, nearestPassagesAcrossPatients, replaceNotePassages, supportsIterativeScan, writeIndexState } from '../src/repositories/history-passages.ts';
import { insertNote } from '../src/repositories/notes.ts';
import { insertPatient } from '../src/repositories/patients.ts';
import { rankByDotProduct } from '../src/search/vector-ranking.ts';
import { percentile } from './bench/load.ts';
import { benchmarkNotes } from './bench-structure.ts';
import { loadCodiespCohorts } from './embed/embed-eval.ts';

export interface BenchSearchOptions {
  patients: number;
  passagesPerPatient: number;
  /** Passages embedded anew for the ingest rate (the rest reuse pool vectors). */
  freshPassages: number;
  /** Per-patient queries per mode. */
  queries: number;
  /** Cross-patient queries (each also runs an exact scan). */
  cohortQueries: number;
  seed: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

interface PoolNote {
  kind: string;
  text: string;
  passages: Array<Passage & { mentions: ConceptMention[] }>;
}

/** Deterministic PRNG (mulberry32), so the same seed builds the same corpus and query set. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real notes from the shared data, each structured and split the way the index stage does it. */
export function buildPool(sharedDir: string, onNote?: (done: number, total: number) => void): { notes: PoolNote[]; queries: string[] } {
  const synthea = path.join(sharedDir, 'eval', 'synthea', 'smart-r4-bundles');
  const records = readdirSync(synthea)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => readFhirBundle(JSON.parse(readFileSync(path.join(synthea, f), 'utf8'))).patients.flatMap((p) => p.documents));
  const codiesp = loadCodiespCohorts(sharedDir);
  const sources: Array<{ kind: string; text: string }> = [
    ...benchmarkNotes(sharedDir).map((text) => ({ kind: 'progress', text })),
    ...codiesp.documents.map((d) => ({ kind: 'case-report', text: d.text })),
    ...records.map((d) => ({ kind: d.kind, text: d.text })),
  ];
  const notes = sources.map((source, i) => {
    const structure = structureNote(source.text);
    const mentions = conceptMentions(structure);
    const passages = splitIntoPassages(source.text, structure.sections).map((p) => ({ ...p, mentions: mentionsWithin(mentions, p.start, p.end) }));
    onNote?.(i + 1, sources.length);
    return { ...source, passages };
  });
  const conditionNames = records.flatMap((d) => (d.facts ?? []).filter((f) => f.kind === 'problem').map((f) => f.display));
  const questions = [
    'when was her last HbA1c?',
    'any history of DVT?',
    'what did cardiology say about the murmur?',
    'blood pressure trend',
    'penicillin allergy',
    'chest pain with shortness of breath',
    'current medications',
    'renal function creatinine',
    'smoking status',
    'influenza vaccination',
  ];
  const queries = [...new Set([...questions, ...codiesp.cohorts.map((c) => c.title), ...conditionNames])];
  return { notes: notes.filter((n) => n.passages.length > 0), queries };
}

export interface BenchSearchResult {
  backend: string;
  serverVersion: string;
  vectorVersion: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverage: number[]; node: string };
  modelId: string;
  dimension: number;
  poolNotes: number;
  poolPassages: number;
  patients: number;
  notes: number;
  passages: number;
  ingest: { freshPassages: number; freshPerSecond: number; bulkPassages: number; bulkPerSecond: number; hnswBuildSeconds: number; seconds: number };
  perPatient: Record<SearchMode, { p50Ms: number; p99Ms: number; queries: number }>;
  patientRecallAt10: number;
  cohort: { queries: number; iterativeScan: boolean; hnswRecallAt10: number; hnswP50Ms: number; hnswP99Ms: number; exactP50Ms: number; exactP99Ms: number; searchP50Ms: number; searchP99Ms: number };
}

const sortedMs = (values: number[]) => [...values].sort((a, b) => a - b);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/** Share of `found` within the true top 10 (ties at the 10th distance count as found). */
function recallAt10(found: ReadonlyArray<{ distance: number }>, exact: ReadonlyArray<{ distance: number }>): number {
  const bound = exact[Math.min(9, exact.length - 1)]?.distance ?? Infinity;
  const want = Math.min(10, exact.length);
  return want === 0 ? 1 : Math.min(want, found.filter((f) => f.distance <= bound + 1e-6).length) / want;
}

interface PlannedPatient {
  mrn: string;
  notes: Array<{ pool: number; authoredAt: Date }>;
}

/** Which pool notes each patient gets, and their dates: fixed by the seed, whatever order patients load in. */
function planCorpus(pool: readonly PoolNote[], options: BenchSearchOptions): PlannedPatient[] {
  const rand = random(options.seed);
  return Array.from({ length: options.patients }, (_, i) => {
    const notes: PlannedPatient['notes'] = [];
    for (let n = 0; n < options.passagesPerPatient; ) {
      const pick = Math.floor(rand() * pool.length);
      notes.push({ pool: pick, authoredAt: new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 10 * 365) * 86_400_000) });
      n += pool[pick]!.passages.length;
    }
    return { mrn: `BENCH-${options.seed}-${i}`, notes };
  });
}

/** Patients loaded at once in the bulk phase (PGlite has one connection). */
const bulkConcurrency = (db: Database) => (db.kind === 'postgres' ? 3 : 1);

async function ingest(db: Database, embedder: Embedder, pool: PoolNote[], options: BenchSearchOptions) {
  const model = modelRef(embedder);
  await ensureCohortIndex(db, model.dimension);
  await writeIndexState(db, model);
  const plan = planCorpus(pool, options);
  const poolVectors = new Map<number, Float32Array[]>();
  const totals = { notes: 0, passages: 0, freshPassages: 0, freshMs: 0, bulkPassages: 0, bulkMs: 0 };
  const patientIds: string[] = [];
  let loaded = 0;

  /** Stores one patient's notes and passages in one transaction; returns the passage count. */
  const store = async (patient: PlannedPatient, vectorsOf: (pool: number) => Float32Array[]) => {
    let passages = 0;
    await db.transaction(async (tx) => {
      const { id } = await insertPatient(tx, { mrn: patient.mrn });
      patientIds.push(id);
      for (const { pool: p, authoredAt } of patient.notes) {
        const source = pool[p]!;
        const note = await insertNote(tx, { patientId: id, kind: source.kind, author: 'bench', authoredAt, source: 'import', text: source.text, pipelineVersion: 'bench' });
        const vectors = vectorsOf(p);
        await replaceNotePassages(
          tx,
          { patientId: id, noteId: note.id, noteDate: authoredAt, noteKind: source.kind },
          source.passages.map((passage, k) => ({ ...passage, embedding: vectors[k]! })),
          model,
        );
        passages += source.passages.length;
      }
    });
    totals.notes += patient.notes.length;
    totals.passages += passages;
    options.onProgress?.('patients loaded', ++loaded, plan.length);
    return passages;
  };

  // Online ingest: every passage embedded anew, with the HNSW index maintained on insert.
  const started = performance.now();
  let next = 0;
  while (next < plan.length && totals.freshPassages < options.freshPassages) {
    const patient = plan[next++]!;
    const t0 = performance.now();
    const inputs = patient.notes.flatMap((n) => pool[n.pool]!.passages.map(embeddingInput));
    const embedded = await embedder.embed(inputs);
    let at = 0;
    const vectors = patient.notes.map((n) => {
      const count = pool[n.pool]!.passages.length;
      const slice = embedded.slice(at, (at += count));
      if (!poolVectors.has(n.pool)) poolVectors.set(n.pool, slice);
      return slice;
    });
    let noteIndex = 0;
    totals.freshPassages += await store(patient, () => vectors[noteIndex++]!);
    totals.freshMs += performance.now() - t0;
  }

  // Bulk load of the rest: pool vectors, no HNSW index until the end, a few patients at once.
  let hnswBuildSeconds = 0;
  if (next < plan.length) {
    await db.query(`DROP INDEX history_passages_hnsw_${model.dimension}`);
    const missing = [...new Set(plan.slice(next).flatMap((p) => p.notes.map((n) => n.pool)))].filter((p) => !poolVectors.has(p));
    const embedded = await embedder.embed(missing.flatMap((p) => pool[p]!.passages.map(embeddingInput)));
    let at = 0;
    for (const p of missing) poolVectors.set(p, embedded.slice(at, (at += pool[p]!.passages.length)));
    const t0 = performance.now();
    const queue = plan.slice(next);
    const workers = Array.from({ length: bulkConcurrency(db) }, async () => {
      for (let patient = queue.shift(); patient; patient = queue.shift()) {
        const passages = await store(patient, (p) => poolVectors.get(p)!);
        totals.bulkPassages += passages;
      }
    });
    await Promise.all(workers);
    totals.bulkMs = performance.now() - t0;
    const build = performance.now();
    await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query(`SET LOCAL maintenance_work_mem = '2GB'`);
      await ensureCohortIndex(tx, model.dimension);
    });
    hnswBuildSeconds = (performance.now() - build) / 1000;
  }
  await db.query('ANALYZE history_passages');
  return { patientIds, totals, hnswBuildSeconds, seconds: (performance.now() - started) / 1000 };
}

export async function benchSearch(db: Database, embedder: Embedder, sharedDir: string, options: BenchSearchOptions): Promise<BenchSearchResult> {
  const progress = options.onProgress ?? (() => undefined);
  const { notes: pool, queries: queryTexts } = buildPool(sharedDir, (d, t) => progress('pool notes structured', d, t));
  const { patientIds, totals, hnswBuildSeconds, seconds } = await ingest(db, embedder, pool, options);
  const rand = random(options.seed + 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;

  // Per-patient search, every mode over the same (patient, query) pairs, after a short warm-up.
  const pairs = Array.from({ length: options.queries }, () => ({ patientId: pick(patientIds), text: pick(queryTexts) }));
  for (const pair of pairs.slice(0, 20)) await searchPatientHistory(db, embedder, pair.patientId, { text: pair.text, k: 10 });
  const perPatient = {} as BenchSearchResult['perPatient'];
  for (const mode of ['hybrid', 'lexical', 'semantic'] as const) {
    const times: number[] = [];
    for (const [i, pair] of pairs.entries()) {
      const t0 = performance.now();
      await searchPatientHistory(db, embedder, pair.patientId, { text: pair.text, k: 10, mode });
      times.push(performance.now() - t0);
      progress(`per-patient ${mode} queries`, i + 1, pairs.length);
    }
    const sorted = sortedMs(times);
    perPatient[mode] = { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), queries: times.length };
  }

  // Exactness within a patient: the vector ranking against brute force over that patient's stored vectors.
  const recalls: number[] = [];
  for (const pair of pairs.slice(0, Math.min(100, pairs.length))) {
    const [vector] = await embedder.embed([pair.text]);
    const rows = await db.query<{ id: string; embedding: string }>('SELECT id::text AS id, embedding::text AS embedding FROM history_passages WHERE patient_id = $1', [pair.patientId]);
    const items = rows.map((r) => ({ id: r.id, vector: Float32Array.from(JSON.parse(r.embedding) as number[]) }));
    // Unit vectors: cosine distance is 1 - dot product, as pgvector's <=> computes it.
    const all = rankByDotProduct(vector!, items, items.length).map((r) => ({ id: r.id, distance: 1 - r.score }));
    const distance = new Map(all.map((r) => [r.id, r.distance]));
    const exact = all.slice(0, 10);
    const hits = await searchPatientHistory(db, embedder, pair.patientId, { text: pair.text, k: 10, mode: 'semantic' });
    recalls.push(recallAt10(hits.map((h) => ({ distance: distance.get(h.passageId)! })), exact));
  }

  // Cross-patient: HNSW with iterative scans against an exact scan, and the full cohort search.
  const iterative = await supportsIterativeScan(db);
  const model = modelRef(embedder);
  const cohortTimes = { hnsw: [] as number[], exact: [] as number[], search: [] as number[] };
  const cohortRecalls: number[] = [];
  for (let i = 0; i < options.cohortQueries; i++) {
    const text = pick(queryTexts);
    const [vector] = await embedder.embed([text]);
    let t0 = performance.now();
    const approximate = await db.transaction((tx) => nearestPassagesAcrossPatients(tx, vector!, model, {}, 10, { iterative }));
    cohortTimes.hnsw.push(performance.now() - t0);
    t0 = performance.now();
    const exact = await db.transaction((tx) => nearestPassagesAcrossPatients(tx, vector!, model, {}, 10, { iterative, exact: true }));
    cohortTimes.exact.push(performance.now() - t0);
    cohortRecalls.push(recallAt10(approximate, exact));
    t0 = performance.now();
    await searchCohort(db, embedder, { text, k: 10 });
    cohortTimes.search.push(performance.now() - t0);
    progress('cohort queries', i + 1, options.cohortQueries);
  }
  const p = (values: number[], q: number) => round(percentile(sortedMs(values), q));
  const [version] = await db.query<{ server: string; vector: string }>(
    `SELECT version() AS server, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`,
  );
  const mean = (values: number[]) => values.reduce((a, v) => a + v, 0) / Math.max(1, values.length);
  return {
    backend: db.kind,
    serverVersion: version!.server.split(' on ')[0]!,
    vectorVersion: version!.vector,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 1024 ** 3, 1), loadAverage: loadavg().map((l) => round(l)), node: process.version },
    modelId: embedder.modelId,
    dimension: embedder.dimension,
    poolNotes: pool.length,
    poolPassages: pool.reduce((a, n) => a + n.passages.length, 0),
    patients: patientIds.length,
    notes: totals.notes,
    passages: totals.passages,
    ingest: {
      freshPassages: totals.freshPassages,
      freshPerSecond: round(totals.freshPassages / (totals.freshMs / 1000), 1),
      bulkPassages: totals.bulkPassages,
      bulkPerSecond: totals.bulkPassages ? round(totals.bulkPassages / (totals.bulkMs / 1000), 1) : 0,
      hnswBuildSeconds: round(hnswBuildSeconds, 1),
      seconds: round(seconds, 1),
    },
    perPatient,
    patientRecallAt10: round(mean(recalls), 4),
    cohort: {
      queries: options.cohortQueries,
      iterativeScan: iterative,
      hnswRecallAt10: round(mean(cohortRecalls), 4),
      hnswP50Ms: p(cohortTimes.hnsw, 50),
      hnswP99Ms: p(cohortTimes.hnsw, 99),
      exactP50Ms: p(cohortTimes.exact, 50),
      exactP99Ms: p(cohortTimes.exact, 99),
      searchP50Ms: p(cohortTimes.search, 50),
      searchP99Ms: p(cohortTimes.search, 99),
    },
  };
}
