/**
 * `clinote eval embed`: quality and speed of the embedding model, measured through the service's own loader.
 *
 * 1. Synonym retrieval: every term of the held-out synonym concepts (fixed when the model was first built,
 *    never trained on) ranks all concept names; recall@1, recall@10, MRR.
 * 2. Cohort retrieval on CodiEsp dev: for each diagnosis code in >= 3 dev documents, the query is the code's
 *    ICD-10-CM title and the relevant documents are those coded with it; BM25, embeddings and their
 *    reciprocal-rank fusion are compared by nDCG@10 and recall@50.
 * 3. Speed: sentences per second embedding CodiEsp dev sentences in batches, and the median latency of one
 *    20-token query, with the CPU time used per wall-clock second (1.0 = one core busy).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AutoTokenizer, env } from '@xenova/transformers';
import { loadEmbedder, type Embedder } from '../../src/ml/embedder.ts';
import { readEmbeddingModelFiles, resolveEmbeddingModel } from '../../src/ml/embedder-files.ts';
import { buildBm25Index } from '../retrieval/bm25-index.ts';
import { reciprocalRankFusion } from '../../src/search/rank-fusion.ts';
import { mean, ndcgAtK, recallAtK, reciprocalRank } from '../retrieval/retrieval-metrics.ts';
import { rankByDotProduct } from '../retrieval/vector-ranking.ts';
import { modelLocations, projectRoot } from '../../src/config/paths.ts';

export const SYNONYM_EVAL_FILE = path.join(projectRoot, 'eval', 'embed', 'synonym-heldout.json.gz');

interface SynonymEvalFile {
  candidates: string[];
  queries: Array<{ term: string; source: string; relevant: string[] }>;
}

export interface SynonymResult {
  queries: number;
  candidates: number;
  recallAt1: number;
  recallAt10: number;
  mrr: number;
  bySource: Record<string, { queries: number; recallAt10: number }>;
}

export async function evaluateSynonyms(embedder: Embedder, file = SYNONYM_EVAL_FILE): Promise<SynonymResult> {
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as SynonymEvalFile;
  const dim = embedder.dimension;
  const candidateVectors = await embedder.embed(data.candidates);
  const matrix = new Float32Array(candidateVectors.length * dim);
  candidateVectors.forEach((v, i) => matrix.set(v, i * dim));
  const candidateIndex = new Map(data.candidates.map((name, i) => [name, i]));
  const queryVectors = await embedder.embed(data.queries.map((q) => q.term));

  const scores = new Float32Array(data.candidates.length);
  const ranks = data.queries.map((query, qi) => {
    const q = queryVectors[qi]!;
    for (let c = 0; c < scores.length; c++) {
      let s = 0;
      const offset = c * dim;
      for (let k = 0; k < dim; k++) s += q[k]! * matrix[offset + k]!;
      scores[c] = s;
    }
    // Rank of the best-scoring relevant name: 1 + candidates scoring strictly higher.
    const best = Math.max(...query.relevant.map((name) => scores[candidateIndex.get(name)!]!));
    let higher = 0;
    for (const s of scores) if (s > best) higher++;
    return higher + 1;
  });

  const bySource: SynonymResult['bySource'] = {};
  data.queries.forEach((query, i) => {
    const entry = (bySource[query.source] ??= { queries: 0, recallAt10: 0 });
    entry.queries += 1;
    entry.recallAt10 += ranks[i]! <= 10 ? 1 : 0;
  });
  for (const entry of Object.values(bySource)) entry.recallAt10 /= entry.queries;
  return {
    queries: ranks.length,
    candidates: data.candidates.length,
    recallAt1: mean(ranks.map((r) => (r <= 1 ? 1 : 0))),
    recallAt10: mean(ranks.map((r) => (r <= 10 ? 1 : 0))),
    mrr: mean(ranks.map((r) => 1 / r)),
    bySource,
  };
}

/** ICD-10-CM long titles by dotted upper-case code, from the official order file (fixed-width columns). */
export function readIcd10cmTitles(orderFile: string): Map<string, string> {
  const titles = new Map<string, string>();
  for (const line of readFileSync(orderFile, 'utf8').split(/\r?\n/)) {
    const code = line.slice(6, 13).trim();
    if (!code) continue;
    const dotted = code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
    titles.set(dotted, line.slice(77).trim());
  }
  return titles;
}

export interface CohortMethodResult {
  ndcg10: number;
  recall50: number;
  mrr: number;
}

export interface CohortResult {
  queries: number;
  documents: number;
  codesWithoutTitle: number;
  bm25: CohortMethodResult;
  vector: CohortMethodResult;
  hybrid: CohortMethodResult;
}

const MIN_DOCUMENTS_PER_CODE = 3;
const FUSION_DEPTH = 100;

/** Dev documents and, for codes in at least 3 of them, the code title and the set of coded documents. */
export function loadCodiespCohorts(sharedDir: string): {
  documents: Array<{ id: string; text: string }>;
  cohorts: Array<{ code: string; title: string; relevant: Set<string> }>;
  codesWithoutTitle: number;
} {
  const devDir = path.join(sharedDir, 'eval', 'codiesp', 'dev');
  const textDir = path.join(devDir, 'text_files_en');
  const documents = readdirSync(textDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ id: f.replace(/\.txt$/, ''), text: readFileSync(path.join(textDir, f), 'utf8') }));
  const byCode = new Map<string, Set<string>>();
  for (const line of readFileSync(path.join(devDir, 'devD.tsv'), 'utf8').split('\n')) {
    const [doc, code] = line.trim().split('\t');
    if (!doc || !code) continue;
    const key = code.toUpperCase();
    let docs = byCode.get(key);
    if (!docs) byCode.set(key, (docs = new Set()));
    docs.add(doc);
  }
  const titles = readIcd10cmTitles(path.join(sharedDir, 'icd10cm', 'icd10cm-fy2021-jan', 'icd10cm-order-Jan-2021.txt'));
  const cohorts: Array<{ code: string; title: string; relevant: Set<string> }> = [];
  let codesWithoutTitle = 0;
  for (const [code, relevant] of [...byCode].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (relevant.size < MIN_DOCUMENTS_PER_CODE) continue;
    const title = titles.get(code);
    if (title) cohorts.push({ code, title, relevant });
    else codesWithoutTitle += 1;
  }
  return { documents, cohorts, codesWithoutTitle };
}

/**
 * Documents are searched as sentences (the English CodiEsp files hold one per line), and a document ranks by
 * its best sentence: a whole-report mean vector dilutes the one sentence that mentions the condition.
 */
export async function evaluateCohorts(embedder: Embedder, sharedDir: string): Promise<CohortResult> {
  const { documents, cohorts, codesWithoutTitle } = loadCodiespCohorts(sharedDir);
  const bm25 = buildBm25Index(documents);
  const sentences = documents.flatMap((d) =>
    d.text
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((text) => ({ id: d.id, text })),
  );
  const sentenceVectors = await embedder.embed(sentences.map((s) => s.text));
  const items = sentences.map((s, i) => ({ id: s.id, vector: sentenceVectors[i]! }));
  const queryVectors = await embedder.embed(cohorts.map((c) => c.title));

  const rows = { bm25: [] as string[][], vector: [] as string[][], hybrid: [] as string[][] };
  cohorts.forEach((cohort, i) => {
    const lexical = bm25.search(cohort.title, FUSION_DEPTH).map((r) => r.id);
    const bestSentences = rankByDotProduct(queryVectors[i]!, items, items.length);
    const semantic = [...new Set(bestSentences.map((r) => r.id))].slice(0, FUSION_DEPTH);
    rows.bm25.push(lexical);
    rows.vector.push(semantic);
    rows.hybrid.push(reciprocalRankFusion([lexical, semantic]).map((r) => r.id));
  });
  const score = (rankings: string[][]): CohortMethodResult => ({
    ndcg10: mean(rankings.map((r, i) => ndcgAtK(r, cohorts[i]!.relevant, 10))),
    recall50: mean(rankings.map((r, i) => recallAtK(r, cohorts[i]!.relevant, 50))),
    mrr: mean(rankings.map((r, i) => reciprocalRank(r, cohorts[i]!.relevant))),
  });
  return {
    queries: cohorts.length,
    documents: documents.length,
    codesWithoutTitle,
    bm25: score(rows.bm25),
    vector: score(rows.vector),
    hybrid: score(rows.hybrid),
  };
}

export interface SpeedResult {
  sentences: number;
  sentencesPerSecond: number;
  queryP50Ms: number;
  queryTokens: number;
  /** Sentences per CPU-second of this process: the single-core rate, whatever else the machine is running. */
  sentencesPerCpuSecond: number;
  cpuPerWall: number;
}

const SPEED_SENTENCES = 5000;
const QUERY_TOKENS = 20;
const QUERY_SAMPLES = 200;

/** Dev sentences (one per line in the English CodiEsp files), and those that are exactly 20 word pieces long. */
async function speedTexts(sharedDir: string, modelDir: string): Promise<{ sentences: string[]; queries: string[] }> {
  const textDir = path.join(sharedDir, 'eval', 'codiesp', 'dev', 'text_files_en');
  const sentences = readdirSync(textDir)
    .sort()
    .flatMap((f) => readFileSync(path.join(textDir, f), 'utf8').split('\n'))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  env.localModelPath = path.dirname(modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir), { local_files_only: true });
  const queries = sentences
    .filter((s) => tokenizer.encode(s, null, { add_special_tokens: false }).length === QUERY_TOKENS)
    .slice(0, QUERY_SAMPLES);
  return { sentences: sentences.slice(0, SPEED_SENTENCES), queries };
}

export async function measureSpeed(embedder: Embedder, sharedDir: string, modelDir: string): Promise<SpeedResult> {
  const { sentences, queries } = await speedTexts(sharedDir, modelDir);
  await embedder.embed(sentences.slice(0, 256)); // warm-up: JIT and first-run allocations
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await embedder.embed(sentences);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const latencies: number[] = [];
  for (const query of queries) {
    const t0 = performance.now();
    await embedder.embed([query]);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return {
    sentences: sentences.length,
    sentencesPerSecond: sentences.length / seconds,
    queryP50Ms: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN,
    queryTokens: QUERY_TOKENS,
    sentencesPerCpuSecond: sentences.length / ((cpu.user + cpu.system) / 1e6),
    cpuPerWall: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

export interface EmbedEvalResult {
  modelId: string;
  dimension: number;
  loadMs: number;
  synonyms: SynonymResult;
  cohorts: CohortResult;
  speed: SpeedResult;
}

export async function runEmbedEval(options: { sharedDir: string; model?: string }): Promise<EmbedEvalResult> {
  const { embeddingModel, modelsDir } = modelLocations();
  const { dir } = resolveEmbeddingModel(options.model ?? embeddingModel, modelsDir);
  const start = performance.now();
  const embedder = await loadEmbedder(await readEmbeddingModelFiles(dir));
  const loadMs = performance.now() - start;
  const speed = await measureSpeed(embedder, options.sharedDir, dir);
  const synonyms = await evaluateSynonyms(embedder);
  const cohorts = await evaluateCohorts(embedder, options.sharedDir);
  return { modelId: embedder.modelId, dimension: embedder.dimension, loadMs, synonyms, cohorts, speed };
}
