/**
 * `clinote bench search`: history search at scale, on PGlite or PostgreSQL.
 *
 * Corpus: synthetic patients whose notes are recombined (seeded, reproducibly) from real text in the shared
 * data: ACI-BENCH visit notes, MTSamples transcriptions, CodiEsp dev case reports and the Synthea records
 * rendered as record notes. Every source note is structured once and cut into sentences by section; a
 * synthetic note follows the section layout of a real note, each section filled with sentences drawn from
 * that section type across all sources. Passages are therefore realistic in wording and layout but not
 * copies of each other (a corpus of repeated passages would measure the index on duplicates, where HNSW
 * graphs degrade, rather than on patient records).
 *
 * With `reuse`, a corpus of the same seed and size already loaded (a kept earlier run) is searched again without
 * ingesting: the search figures can be re-measured on a quieter machine without hours of loading.
 *
 * Measured:
 * - ingest passages/s: embedding + insert (notes and passages, HNSW index maintained) over the first
 *   `freshPassages` passages. The rest of the corpus is bulk-loaded (still embedded; when it is the larger
 *   part, without the HNSW index, which is built afterwards); its rate and the index build time are
 *   reported separately.
 * - per-patient search p50/p99 over `queries` queries for hybrid, BM25-only and vector-only, plus recall@10 of
 *   the per-patient vector ranking against a brute-force ranking of that patient's vectors.
 * - cross-patient HNSW (iterative scans) recall@10 against an exact scan, with the latency of both and of the
 *   full cohort search.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { structureNote } from '../src/notes/structuring/structure.ts';
import type { Database } from '../src/db/database.ts';
import { conceptMentions, mentionsWithin } from '../src/history/concepts.ts';
import { readFhirBundle } from '../src/history/fhir/bundle.ts';
import { indexIsStale, modelRef } from '../src/history/indexing-service.ts';
import { embeddingInput, splitIntoPassages, type Passage, type SectionBounds } from '../src/history/passages.ts';
import { sectionDefinition, type SectionType } from '../src/notes/structuring/section-catalog.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { tokenize } from '../src/text/tokens.ts';
import { searchCohort, searchPatientHistory, type SearchMode } from '../src/history/search-service.ts';
import type { Embedder } from '../src/ml/embedder.ts';
import { ensureCohortIndex, nearestPassagesAcrossPatients, replaceNotePassages, supportsIterativeScan, writeIndexState } from '../src/history/passages-repository.ts';
import { insertNote } from '../src/notes/repository.ts';
import { registerPatient } from '../src/patients/service.ts';
import { rankByDotProduct } from './retrieval/vector-ranking.ts';
import { percentile } from './bench/load.ts';
import { benchmarkNotes } from './bench-structure.ts';
import { loadCodiespCohorts } from './embed/embed-eval.ts';
import type { ConceptMention } from '../src/history/types.ts';

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
  /** Reuse a corpus of this seed and size already loaded in the database (from a kept earlier run): search figures only. */
  reuse?: boolean;
  onProgress?: (stage: string, done: number, total: number) => void;
}

interface PoolSentence {
  text: string;
  /** Concept mentions, offsets relative to the sentence. */
  mentions: ConceptMention[];
}

/** The layout of a real note: its kind and, per section, how many sentences it had. */
interface NoteLayout {
  kind: string;
  sections: Array<{ type: SectionType; sentences: number }>;
}

export interface SentencePool {
  layouts: NoteLayout[];
  sentences: Map<SectionType, PoolSentence[]>;
  /** Sentences in the pool, all sections. */
  size: number;
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

/** Real notes from the shared data, structured and cut into sentences by section; and the query texts. */
export function buildPool(sharedDir: string, onNote?: (done: number, total: number) => void): { pool: SentencePool; queries: string[] } {
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
  const pool: SentencePool = { layouts: [], sentences: new Map(), size: 0 };
  sources.forEach((source, i) => {
    const structure = structureNote(source.text);
    const mentions = conceptMentions(structure);
    const layout: NoteLayout = { kind: source.kind, sections: [] };
    for (const section of structure.sections) {
      // Sentences after the header: the generator writes its own header line per section.
      const from = section.header ? section.header.end : section.start;
      const body = source.text.slice(from, section.end);
      const sentences = splitSentences(body, tokenize(body)).map((x) => ({
        text: body.slice(x.start, x.end).replace(/\s+/g, ' '),
        mentions: mentionsWithin(mentions, from + x.start, from + x.end),
      }));
      const usable = sentences.filter((x) => x.text.length >= 3 && x.mentions.every((m) => x.text.length >= m.end));
      if (usable.length === 0) continue;
      layout.sections.push({ type: section.type, sentences: usable.length });
      const bucket = pool.sentences.get(section.type) ?? [];
      bucket.push(...usable);
      pool.sentences.set(section.type, bucket);
      pool.size += usable.length;
    }
    if (layout.sections.length > 0) pool.layouts.push(layout);
    onNote?.(i + 1, sources.length);
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
  return { pool, queries };
}

interface SyntheticNote {
  kind: string;
  authoredAt: Date;
  text: string;
  passages: Array<Passage & { mentions: ConceptMention[] }>;
}

/** A new note in the layout of a real one, each section's sentences drawn from that section type. */
function syntheticNote(pool: SentencePool, rand: () => number, authoredAt: Date): SyntheticNote {
  const layout = pool.layouts[Math.floor(rand() * pool.layouts.length)]!;
  let text = '';
  const sections: SectionBounds[] = [];
  const mentions: ConceptMention[] = [];
  for (const section of layout.sections) {
    const bucket = pool.sentences.get(section.type)!;
    const start = text.length;
    text += `${sectionDefinition(section.type).title}:\n`;
    for (let n = 0; n < Math.min(section.sentences, 12); n++) {
      const sentence = bucket[Math.floor(rand() * bucket.length)]!;
      const at = text.length;
      text += `${sentence.text} `;
      for (const m of sentence.mentions) mentions.push({ ...m, start: m.start + at, end: m.end + at });
    }
    text = `${text.trimEnd()}\n\n`;
    sections.push({ type: section.type, start, end: text.length - 2 });
  }
  text = text.trimEnd();
  const passages = splitIntoPassages(text, sections).map((p) => ({ ...p, mentions: mentionsWithin(mentions, p.start, p.end) }));
  return { kind: layout.kind, authoredAt, text, passages };
}

export interface BenchSearchResult {
  backend: string;
  serverVersion: string;
  vectorVersion: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverage: number[]; node: string };
  modelId: string;
  dimension: number;
  poolNotes: number;
  poolSentences: number;
  patients: number;
  notes: number;
  passages: number;
  /** Null when an already loaded corpus was reused (nothing ingested in this run). */
  ingest: { freshPassages: number; freshPerSecond: number; bulkPassages: number; bulkPerSecond: number; hnswBuildSeconds: number; seconds: number } | null;
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

/** One patient's notes; seeded by the patient's number, so the corpus is the same whatever order patients load in. */
function patientNotes(pool: SentencePool, options: BenchSearchOptions, index: number): SyntheticNote[] {
  const rand = random(options.seed * 1_000_003 + index);
  const notes: SyntheticNote[] = [];
  for (let n = 0; n < options.passagesPerPatient; ) {
    const authoredAt = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 10 * 365) * 86_400_000);
    const note = syntheticNote(pool, rand, authoredAt);
    notes.push(note);
    n += note.passages.length;
  }
  return notes;
}

/** Patients loaded at once in the bulk phase (PGlite has one connection). */
const bulkConcurrency = (db: Database) => (db.kind === 'postgres' ? 3 : 1);

async function ingest(db: Database, embedder: Embedder, pool: SentencePool, options: BenchSearchOptions) {
  const model = modelRef(embedder);
  await ensureCohortIndex(db, model.dimension);
  await writeIndexState(db, model);
  const totals = { notes: 0, passages: 0, freshPassages: 0, freshMs: 0, bulkPassages: 0, bulkMs: 0 };
  const patientIds: string[] = [];
  let loaded = 0;

  /** Embeds and stores one patient's notes and passages (one transaction); returns the passage count. */
  const load = async (index: number) => {
    const notes = patientNotes(pool, options, index);
    const vectors = await embedder.embed(notes.flatMap((n) => n.passages.map(embeddingInput)));
    let at = 0;
    await db.transaction(async (tx) => {
      const { id } = await registerPatient(tx, { mrn: benchMrn(options.seed, index) });
      patientIds[index] = id;
      for (const n of notes) {
        const note = await insertNote(tx, { patientId: id, kind: n.kind, author: 'bench', authoredAt: n.authoredAt, source: 'import', text: n.text, pipelineVersion: 'bench' });
        await replaceNotePassages(
          tx,
          { patientId: id, noteId: note.id, noteDate: n.authoredAt, noteKind: n.kind },
          n.passages.map((passage) => ({ ...passage, embedding: vectors[at++]! })),
          model,
        );
      }
    });
    const passages = notes.reduce((a, n) => a + n.passages.length, 0);
    totals.notes += notes.length;
    totals.passages += passages;
    options.onProgress?.('patients loaded', ++loaded, options.patients);
    return passages;
  };

  // Online ingest: the HNSW index maintained on every insert.
  const started = performance.now();
  let next = 0;
  while (next < options.patients && totals.freshPassages < options.freshPassages) {
    const t0 = performance.now();
    totals.freshPassages += await load(next++);
    totals.freshMs += performance.now() - t0;
  }

  // Bulk load of the rest, a few patients at once; when the rest outweighs what is loaded, without the HNSW
  // index, which is then built at the end.
  let hnswBuildSeconds = 0;
  const rebuild = (options.patients - next) * options.passagesPerPatient > totals.passages;
  if (next < options.patients) {
    if (rebuild) await db.query(`DROP INDEX history_passages_hnsw_${model.dimension}`);
    const t0 = performance.now();
    const workers = Array.from({ length: bulkConcurrency(db) }, async () => {
      while (next < options.patients) {
        const passages = await load(next++);
        totals.bulkPassages += passages;
      }
    });
    await Promise.all(workers);
    totals.bulkMs = performance.now() - t0;
  }
  if (rebuild) {
    const build = performance.now();
    await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query(`SET LOCAL maintenance_work_mem = '2GB'`);
      await ensureCohortIndex(tx, model.dimension);
    });
    hnswBuildSeconds = (performance.now() - build) / 1000;
  }
  await settle(db);
  return { patientIds, totals, hnswBuildSeconds, seconds: (performance.now() - started) / 1000 };
}

/**
 * What a bulk load is followed by in production: VACUUM sets the hint bits and visibility map and ANALYZE the
 * statistics, so the first searches do not pay for them (or race autovacuum doing it).
 */
const settle = (db: Database) => db.query('VACUUM (ANALYZE) history_passages');

const benchMrn = (seed: number, index: number) => `BENCH-${seed}-${index}`;

/** The patients of an earlier run's corpus of this seed and size, in load order; null when it is not (all) there. */
async function loadedCorpus(db: Database, options: BenchSearchOptions) {
  const rows = await db.query<{ id: string; mrn: string }>(`SELECT id, mrn FROM patients WHERE mrn LIKE $1`, [`BENCH-${options.seed}-%`]);
  if (rows.length === 0) return null;
  const byMrn = new Map(rows.map((r) => [r.mrn, r.id]));
  const patientIds = Array.from({ length: options.patients }, (_, i) => byMrn.get(benchMrn(options.seed, i)));
  if (rows.length !== options.patients || patientIds.some((id) => id === undefined)) {
    throw new Error(`the database holds ${rows.length} patients of seed ${options.seed}, not a corpus of ${options.patients}: use another database`);
  }
  const [counts] = await db.query<{ notes: string; passages: string }>(
    `SELECT (SELECT count(*) FROM notes) AS notes, (SELECT count(*) FROM history_passages) AS passages`,
  );
  return { patientIds: patientIds as string[], notes: Number(counts!.notes), passages: Number(counts!.passages) };
}

export async function benchSearch(db: Database, embedder: Embedder, sharedDir: string, options: BenchSearchOptions): Promise<BenchSearchResult> {
  const progress = options.onProgress ?? (() => undefined);
  const { pool, queries: queryTexts } = buildPool(sharedDir, (d, t) => progress('pool notes structured', d, t));
  const existing = options.reuse ? await loadedCorpus(db, options) : null;
  if (existing && (await indexIsStale(db, modelRef(embedder)))) {
    throw new Error(`the corpus in this database was embedded by another model than ${embedder.modelId}: use another database`);
  }
  if (existing) await settle(db);
  const loaded = existing ? null : await ingest(db, embedder, pool, options);
  const patientIds = existing?.patientIds ?? loaded!.patientIds;
  const rand = random(options.seed + 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;

  // Per-patient search, every mode over the same (patient, query) pairs, after a short warm-up. The modes of a
  // pair run one after another in an order that rotates from pair to pair, so the first search of a patient
  // (colder caches) falls on every mode alike.
  const pairs = Array.from({ length: options.queries }, () => ({ patientId: pick(patientIds), text: pick(queryTexts) }));
  for (const pair of pairs.slice(0, 20)) await searchPatientHistory(db, embedder, pair.patientId, { text: pair.text, k: 10 });
  const modes = ['hybrid', 'lexical', 'semantic'] as const;
  const times: Record<SearchMode, number[]> = { hybrid: [], lexical: [], semantic: [] };
  for (const [i, pair] of pairs.entries()) {
    for (let m = 0; m < modes.length; m++) {
      const mode = modes[(i + m) % modes.length]!;
      const t0 = performance.now();
      await searchPatientHistory(db, embedder, pair.patientId, { text: pair.text, k: 10, mode });
      times[mode].push(performance.now() - t0);
    }
    progress('per-patient queries (3 modes)', i + 1, pairs.length);
  }
  const perPatient = {} as BenchSearchResult['perPatient'];
  for (const mode of modes) {
    const sorted = sortedMs(times[mode]);
    perPatient[mode] = { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), queries: sorted.length };
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
    poolNotes: pool.layouts.length,
    poolSentences: pool.size,
    patients: patientIds.length,
    notes: existing?.notes ?? loaded!.totals.notes,
    passages: existing?.passages ?? loaded!.totals.passages,
    ingest: loaded && {
      freshPassages: loaded.totals.freshPassages,
      freshPerSecond: round(loaded.totals.freshPassages / (loaded.totals.freshMs / 1000), 1),
      bulkPassages: loaded.totals.bulkPassages,
      bulkPerSecond: loaded.totals.bulkPassages ? round(loaded.totals.bulkPassages / (loaded.totals.bulkMs / 1000), 1) : 0,
      hnswBuildSeconds: round(loaded.hnswBuildSeconds, 1),
      seconds: round(loaded.seconds, 1),
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
