import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structureNote } from '../../src/notes/structuring/structure.ts';
import { sharedDataDir } from '../../src/config/paths.ts';
import type { Database } from '../../src/db/database.ts';
import { indexNote } from '../../src/history/indexing-service.ts';
import { reindexHistory } from '../../src/history/reindex-service.ts';
import { listPatientPassages, searchCohort, searchPatientHistory } from '../../src/history/search-service.ts';
import { getEmbedder, type Embedder } from '../../src/ml/embedder.ts';
import { findReindexRun, readIndexState, writeIndexState } from '../../src/history/passages-repository.ts';
import { insertNote } from '../../src/notes/repository.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { rankByDotProduct } from '../../eval/retrieval/vector-ranking.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const VISIT_1 = [
  'HISTORY OF PRESENT ILLNESS:',
  '58-year-old woman with type 2 diabetes and hypertension.',
  '',
  'PAST MEDICAL HISTORY:',
  'No history of DVT or pulmonary embolism.',
  '',
  'MEDICATIONS:',
  'Metformin 500 mg PO BID. Lisinopril 10 mg daily.',
  '',
  'LABS:',
  'HbA1c 7.9% on 2022-12-20.',
].join('\n');
const VISIT_2 = [
  'CHIEF COMPLAINT: Left leg swelling.',
  '',
  'ASSESSMENT AND PLAN:',
  'Deep vein thrombosis of the left leg confirmed on ultrasound. Start apixaban.',
  'Cardiology consult: grade 2/6 systolic murmur, likely benign flow murmur; echo ordered.',
].join('\n');

/** CodiEsp dev case reports (English): realistic bulk text for a second, busier patient. */
function caseReports(n: number): string[] {
  const dir = path.join(sharedDataDir(), 'eval', 'codiesp', 'dev', 'text_files_en');
  return readdirSync(dir).sort().slice(0, n).map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

async function addNote(db: Database, embedder: Embedder, patientId: string, text: string, date: string, kind = 'progress') {
  const note = await insertNote(db, { patientId, kind, author: 'Dr Test', authoredAt: new Date(date), source: 'typed', text, pipelineVersion: 'test' });
  await indexNote(db, embedder, note, structureNote(text));
  return note;
}

describe.each(databaseBackends)('history search on $name', (backend) => {
  let t: TestDatabase;
  let embedder: Embedder;
  let anna: string;
  let busy: string;
  let visit2Id: string;

  beforeAll(async () => {
    t = await backend.create();
    embedder = await getEmbedder();
    anna = (await registerPatient(t.db, { mrn: 'H-ANNA' })).id;
    busy = (await registerPatient(t.db, { mrn: 'H-BUSY' })).id;
    await addNote(t.db, embedder, anna, VISIT_1, '2023-01-05');
    visit2Id = (await addNote(t.db, embedder, anna, VISIT_2, '2023-06-10', 'consult')).id;
    const reports = caseReports(12);
    for (const [i, text] of reports.entries()) await addNote(t.db, embedder, busy, text, `2022-0${1 + (i % 9)}-15`);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('answers with the passage, its date and section, highlights and the negation flag', async () => {
    const [denied] = await searchPatientHistory(t.db, embedder, anna, { text: 'any history of DVT?', k: 3 });
    expect(denied).toMatchObject({ section: 'past_medical_history', negated: true, noteKind: 'progress' });
    expect(denied!.noteDate.toISOString().slice(0, 10)).toBe('2023-01-05');
    expect(denied!.highlights.find((h) => h.text === 'DVT')?.concept).toBeDefined();

    const hits = await searchPatientHistory(t.db, embedder, anna, { text: 'deep vein thrombosis', k: 3 });
    const confirmed = hits.find((h) => h.noteId === visit2Id)!;
    expect(confirmed).toMatchObject({ section: 'assessment_and_plan', negated: false });
    // The spelled-out query also marks the abbreviation in the other note.
    const abbreviation = hits.find((h) => h.section === 'past_medical_history')!;
    expect(abbreviation.highlights).toContainEqual(expect.objectContaining({ text: 'DVT', match: 'concept' }));
    expect(abbreviation.negated).toBe(true);

    const hba1c = await searchPatientHistory(t.db, embedder, anna, { text: 'when was her last HbA1c?', k: 1 });
    expect(hba1c[0]!.text).toContain('HbA1c 7.9%');
    expect(VISIT_1.slice(hba1c[0]!.start, hba1c[0]!.end)).toBe(hba1c[0]!.text);

    const murmur = await searchPatientHistory(t.db, embedder, anna, { text: 'what did cardiology say about the murmur?', k: 1 });
    expect(murmur[0]!.text).toContain('systolic murmur');
  });

  it('filters by date, section and note kind, and lists without a query', async () => {
    const since = await searchPatientHistory(t.db, embedder, anna, { text: 'DVT', k: 10, since: new Date('2023-03-01') });
    expect(since.length).toBeGreaterThan(0);
    expect(since.every((h) => h.noteId === visit2Id)).toBe(true);
    const until = await searchPatientHistory(t.db, embedder, anna, { text: 'DVT', k: 10, until: new Date('2023-03-01') });
    expect(until.every((h) => h.noteId !== visit2Id)).toBe(true);
    const meds = await searchPatientHistory(t.db, embedder, anna, { text: 'metformin', k: 10, sections: ['medications'] });
    expect(meds.map((h) => h.section)).toEqual(['medications']);
    const consults = await listPatientPassages(t.db, anna, { k: 10, kinds: ['consult'] });
    expect(consults.length).toBeGreaterThan(0);
    expect(consults.every((h) => h.noteKind === 'consult')).toBe(true);
    expect((await listPatientPassages(t.db, anna, { k: 2 })).map((h) => h.noteId)).toEqual([visit2Id, visit2Id]);
  });

  it("ranks exactly within a patient: the vector side equals a brute-force ranking of the patient's passages", async () => {
    const stored = await t.db.query<{ id: string; embedding: string }>('SELECT id::text, embedding::text FROM history_passages WHERE patient_id = $1', [busy]);
    expect(stored.length).toBeGreaterThan(40);
    const items = stored.map((r) => ({ id: r.id, vector: Float32Array.from(JSON.parse(r.embedding) as number[]) }));
    for (const query of ['fever and weight loss', 'renal mass on CT', 'chest pain with dyspnea']) {
      const [vector] = await embedder.embed([query]);
      const exact = rankByDotProduct(vector!, items, 10).map((r) => r.id);
      const hits = await searchPatientHistory(t.db, embedder, busy, { text: query, k: 10, mode: 'semantic' });
      expect(hits.map((h) => h.passageId)).toEqual(exact);
      expect(hits.every((h) => h.patientId === busy)).toBe(true);
    }
  });

  it('replaces a re-processed note atomically: a failed re-index leaves the old passages', async () => {
    const note = await addNote(t.db, embedder, anna, 'PLAN: Recheck potassium next week.', '2023-07-01');
    const passagesOf = async () => t.db.query<{ text: string }>('SELECT text FROM history_passages WHERE note_id = $1 ORDER BY ordinal', [note.id]);
    const broken = structureNote('ASSESSMENT: Hyperkalemia resolved.');
    broken.problems[0]!.start = -1;
    await expect(indexNote(t.db, embedder, { ...note, text: 'ASSESSMENT: Hyperkalemia resolved.' }, broken)).rejects.toThrow();
    expect((await passagesOf()).map((p) => p.text)).toEqual(['PLAN: Recheck potassium next week.']);
    await indexNote(t.db, embedder, { ...note, text: 'ASSESSMENT: Hyperkalemia resolved.' }, structureNote('ASSESSMENT: Hyperkalemia resolved.'));
    expect((await passagesOf()).map((p) => p.text)).toEqual(['ASSESSMENT: Hyperkalemia resolved.']);
  });

  it('re-embeds passages of another model on demand, per patient first, then everything (resumably)', async () => {
    const current = await readIndexState(t.db);
    expect(current).toEqual({ modelId: embedder.modelId, dimension: embedder.dimension });
    const old = { modelId: 'clinote-embed@000000000000', dimension: embedder.dimension };
    await t.db.query('UPDATE history_passages SET model_id = $1', [old.modelId]);
    await writeIndexState(t.db, old);

    let backgroundRequests = 0;
    const onStaleIndex = async () => void backgroundRequests++;
    const hits = await searchPatientHistory(t.db, embedder, anna, { text: 'DVT', k: 3, mode: 'semantic' }, { onStaleIndex });
    expect(hits.length).toBe(3);
    // The one staleness check asked once for everyone else's re-embedding; the busy patient still waits for it.
    expect(backgroundRequests).toBe(1);
    const models = async (patientId: string) =>
      (await t.db.query<{ model_id: string }>('SELECT DISTINCT model_id FROM history_passages WHERE patient_id = $1', [patientId])).map((r) => r.model_id);
    expect(await models(anna)).toEqual([embedder.modelId]);
    expect(await models(busy)).toEqual([old.modelId]);

    // A full re-embedding interrupted after its first batch resumes from the saved cursor.
    const total = Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM history_passages'))[0]!.n);
    const interrupted = reindexHistory(t.db, embedder, {
      mode: 'all',
      batchSize: 16,
      onProgress: (done) => {
        if (done >= 16) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    expect((await findReindexRun(t.db, 'all:*'))?.done).toBe(16);
    const resumed = await reindexHistory(t.db, embedder, { mode: 'all', batchSize: 64 });
    expect(resumed).toMatchObject({ resumedAfter: 16, embedded: total - 16 });
    expect(await models(busy)).toEqual([embedder.modelId]);
    expect(await readIndexState(t.db)).toEqual({ modelId: embedder.modelId, dimension: embedder.dimension });
  });

  it('searches across patients through the HNSW index with iterative scans', async () => {
    const result = await searchCohort(t.db, embedder, { text: 'deep vein thrombosis', k: 10 });
    expect(result.iterativeScan).toBe(true);
    expect(result.staleIndex).toBe(false);
    expect(result.hits.length).toBe(10);
    expect(result.hits.some((h) => h.patientId === anna && h.noteId === visit2Id)).toBe(true);
    const plan = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      return tx.query<Record<string, string>>(
        `EXPLAIN SELECT id FROM history_passages WHERE dimension = ${embedder.dimension}
         ORDER BY embedding::vector(${embedder.dimension}) <=> $1::vector(${embedder.dimension}) LIMIT 10`,
        [`[${Array.from({ length: embedder.dimension }, () => 0.1).join(',')}]`],
      );
    });
    expect(JSON.stringify(plan)).toContain(`history_passages_hnsw_${embedder.dimension}`);
  });
});
