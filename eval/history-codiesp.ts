/**
 * `clinote eval history`: the embedding issue's CodiEsp dev cohort evaluation, run through the history
 * search code. All 250 dev case reports are loaded as one test patient's notes (structured, split into
 * passages, embedded, stored); for every diagnosis code in >= 3 dev documents the query is the code's
 * ICD-10-CM title and the relevant documents are those coded with it. Each retrieval mode ranks the
 * patient's passages; a document ranks where its first passage does. Reports nDCG@10, recall@50 and MRR
 * for BM25 alone, vectors alone and the hybrid the API serves.
 */
import { structureNote } from '../src/notes/structuring/structure.ts';
import type { Database } from '../src/db/database.ts';
import { indexNote } from '../src/history/indexing-service.ts';
import { searchPatientHistory, type SearchMode } from '../src/history/search-service.ts';
import type { Embedder } from '../src/ml/embedder.ts';
import { insertNote } from '../src/notes/repository.ts';
import { registerPatient } from '../src/patients/service.ts';
import { mean, ndcgAtK, recallAtK, reciprocalRank } from './retrieval/retrieval-metrics.ts';
import { loadCodiespCohorts } from './embed/embed-eval.ts';

/** Passages asked for per query: the API's maximum, enough to rank well past 50 documents. */
const PASSAGES_PER_QUERY = 100;
export const HISTORY_EVAL_MODES: readonly SearchMode[] = ['lexical', 'semantic', 'hybrid'];

export interface ModeResult {
  ndcg10: number;
  recall50: number;
  mrr: number;
  p50Ms: number;
}

export interface HistoryEvalResult {
  documents: number;
  passages: number;
  queries: number;
  indexSeconds: number;
  modes: Record<SearchMode, ModeResult>;
}

/** Documents in the order their first passage appears. */
export function documentRanking(passageDocuments: readonly string[]): string[] {
  return [...new Set(passageDocuments)];
}

export async function evaluateHistoryOnCodiesp(
  db: Database,
  embedder: Embedder,
  sharedDir: string,
  onProgress: (stage: 'index' | 'query', done: number, total: number) => void = () => undefined,
): Promise<HistoryEvalResult> {
  const { documents, cohorts } = loadCodiespCohorts(sharedDir);
  const patient = await registerPatient(db, { mrn: `CODIESP-DEV-${Date.now()}`, name: 'CodiEsp dev cohort (test patient)' });
  const documentOfNote = new Map<string, string>();
  const started = performance.now();
  for (const [i, doc] of documents.entries()) {
    const note = await insertNote(db, {
      patientId: patient.id,
      kind: 'case-report',
      author: 'CodiEsp',
      authoredAt: new Date(Date.UTC(2020, 0, 1 + i)),
      source: 'import',
      text: doc.text,
      pipelineVersion: 'eval',
    });
    documentOfNote.set(note.id, doc.id);
    await indexNote(db, embedder, note, structureNote(doc.text));
    onProgress('index', i + 1, documents.length);
  }
  const indexSeconds = (performance.now() - started) / 1000;
  const [{ n: passages } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM history_passages WHERE patient_id = $1', [patient.id]);

  const rankings: Record<SearchMode, string[][]> = { lexical: [], semantic: [], hybrid: [] };
  const latencies: Record<SearchMode, number[]> = { lexical: [], semantic: [], hybrid: [] };
  for (const [i, cohort] of cohorts.entries()) {
    for (const mode of HISTORY_EVAL_MODES) {
      const t0 = performance.now();
      const hits = await searchPatientHistory(db, embedder, patient.id, { text: cohort.title, k: PASSAGES_PER_QUERY, mode });
      latencies[mode].push(performance.now() - t0);
      rankings[mode].push(documentRanking(hits.map((h) => documentOfNote.get(h.noteId)!)));
    }
    onProgress('query', i + 1, cohorts.length);
  }
  const score = (mode: SearchMode): ModeResult => {
    const sorted = [...latencies[mode]].sort((a, b) => a - b);
    return {
      ndcg10: mean(rankings[mode].map((r, i) => ndcgAtK(r, cohorts[i]!.relevant, 10))),
      recall50: mean(rankings[mode].map((r, i) => recallAtK(r, cohorts[i]!.relevant, 50))),
      mrr: mean(rankings[mode].map((r, i) => reciprocalRank(r, cohorts[i]!.relevant))),
      p50Ms: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    };
  };
  return {
    documents: documents.length,
    passages,
    queries: cohorts.length,
    indexSeconds,
    modes: { lexical: score('lexical'), semantic: score('semantic'), hybrid: score('hybrid') },
  };
}
