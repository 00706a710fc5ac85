import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/env.ts';
import { sharedDataDir } from '../../config/paths.ts';
import type { Database } from '../../db/database.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

interface Options {
  backend?: string;
  databaseUrl?: string;
  patients?: string;
  passagesPerPatient: string;
  freshPassages: string;
  queries: string;
  cohortQueries: string;
  seed: string;
  keep?: boolean;
  database?: string;
}

const positive = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CommandInputError(`--${name} must be a positive integer`);
  return n;
};

/**
 * The benchmark's database: a new scratch PostgreSQL database on the given server or PGlite in a temporary folder;
 * or, with `named`, that database (created when missing) or PGlite folder, which is always kept.
 */
async function benchDatabase(
  backend: 'postgres' | 'pglite',
  url: string,
  named: string | undefined,
): Promise<{ db: Database; where: string; drop(keep: boolean): Promise<void> }> {
  const { migrate } = await import('../../db/migrate.ts');
  if (backend === 'pglite') {
    const dir = named ? path.resolve(named) : mkdtempSync(path.join(tmpdir(), 'clinote-bench-search-'));
    const db = await (await import('../../db/pglite-database.ts')).openPgliteDatabase({ dataDir: dir });
    await migrate(db);
    return { db, where: dir, drop: async (keep) => (await db.close(), keep || named ? undefined : rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = (await import('pg')).default;
  if (named && !/^[a-z_][a-z0-9_]{0,62}$/.test(named)) throw new CommandInputError('--database must be a plain PostgreSQL name (lower-case letters, digits, _)');
  const name = named ?? `clinote_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = (await import('../../db/pg-database.ts')).openPgDatabase({ connectionString: target.toString(), max: 4 });
  await migrate(db);
  return {
    db,
    where: `${target.host}/${name}`,
    async drop(keep) {
      await db.close();
      if (keep || named) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('search')
    .description(
      'History search at scale on a scratch database: synthetic patients built from the shared notes and Synthea records; ' +
        'ingest passages/s (embedding + insert), per-patient search p50/p99 (hybrid, BM25-only, vector-only) and exactness, ' +
        'cross-patient HNSW recall@10 vs an exact scan with latencies. Defaults finish in a few minutes; ' +
        'the 1M-passage run is --backend postgres --patients 10000.',
    )
    .option('--backend <name>', 'postgres or pglite (default: postgres when DATABASE_URL is set, else pglite)')
    .option('--database-url <url>', 'PostgreSQL server to create the scratch database on (default DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)')
    .option('--patients <n>', 'patients (default 1000 on PostgreSQL, 200 on PGlite)')
    .option('--passages-per-patient <n>', 'passages per patient', '100')
    .option('--fresh-passages <n>', 'passages ingested with the HNSW index maintained (the ingest rate); the rest are bulk-loaded', '20000')
    .option('--queries <n>', 'per-patient queries per mode', '1000')
    .option('--cohort-queries <n>', 'cross-patient queries (each also runs an exact scan)', '100')
    .option('--seed <n>', 'corpus and query seed', '6')
    .option('--keep', 'keep the scratch database afterwards')
    .option(
      '--database <name>',
      'use this PostgreSQL database (created when missing) or PGlite folder and keep it; when it already holds the corpus of this seed and size, only the searches run again',
    )
    .action((opts: Options) => run(opts).catch(reportCommandError));
}

async function run(opts: Options): Promise<void> {
  const config = loadConfig();
  const backend = (opts.backend ?? config.storage) as 'postgres' | 'pglite';
  if (!['postgres', 'pglite'].includes(backend)) throw new CommandInputError('--backend must be postgres or pglite');
  const options = {
    patients: positive(opts.patients ?? (backend === 'postgres' ? '1000' : '200'), 'patients'),
    passagesPerPatient: positive(opts.passagesPerPatient, 'passages-per-patient'),
    freshPassages: positive(opts.freshPassages, 'fresh-passages'),
    queries: positive(opts.queries, 'queries'),
    cohortQueries: positive(opts.cohortQueries, 'cohort-queries'),
    seed: positive(opts.seed, 'seed'),
    reuse: opts.database !== undefined,
  };
  const url = opts.databaseUrl ?? config.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { benchSearch } = await import('../../../eval/bench-search.ts');
  const { getEmbedder } = await import('../../ml/embedder.ts');
  const scratch = await benchDatabase(backend, url, opts.database);
  process.stderr.write(`${opts.database ? 'database' : 'scratch database'}: ${scratch.where}\n`);
  try {
    const bars = new Map<string, ProgressBar>();
    const r = await benchSearch(scratch.db, await getEmbedder(), sharedDataDir(), {
      ...options,
      onProgress: (stage, done, total) => {
        let bar = bars.get(stage);
        if (!bar) bars.set(stage, (bar = new ProgressBar(stage, total)));
        bar.tick();
        if (done === total) bar.finish();
      },
    });
    const m = r.machine;
    process.stdout.write(
      `\nmachine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, load average ${m.loadAverage.join(' ')} (shared), node ${m.node}\n` +
        `database: ${r.backend} (${r.serverVersion}, pgvector ${r.vectorVersion}); model ${r.modelId} (dim ${r.dimension})\n` +
        `corpus: ${r.patients} patients, ${r.notes} notes, ${r.passages} passages (recombined from the sentences of ${r.poolNotes} real notes: ${r.poolSentences} sentences)\n` +
        `ingest: ${
          r.ingest
            ? `${r.ingest.freshPassages} passages embedded + inserted at ${r.ingest.freshPerSecond}/s; ` +
              `${r.ingest.bulkPassages} more embedded + bulk-loaded at ${r.ingest.bulkPerSecond}/s` +
              `${r.ingest.hnswBuildSeconds ? ` without the HNSW index, then built in ${r.ingest.hnswBuildSeconds} s` : ''}; ${r.ingest.seconds} s in all`
            : 'none in this run (the corpus already loaded in the database was searched)'
        }\n\n`,
    );
    printTable([
      ...(['hybrid', 'lexical', 'semantic'] as const).map((mode) => ({
        search: `per patient, ${mode === 'lexical' ? 'BM25 only' : mode === 'semantic' ? 'vector only' : 'hybrid'}`,
        queries: r.perPatient[mode].queries,
        p50_ms: r.perPatient[mode].p50Ms,
        p99_ms: r.perPatient[mode].p99Ms,
        recall_at_10: mode === 'semantic' ? r.patientRecallAt10 : null,
      })),
      { search: `cross-patient HNSW${r.cohort.iterativeScan ? ' (iterative scan)' : ''}`, queries: r.cohort.queries, p50_ms: r.cohort.hnswP50Ms, p99_ms: r.cohort.hnswP99Ms, recall_at_10: r.cohort.hnswRecallAt10 },
      { search: 'cross-patient exact scan', queries: r.cohort.queries, p50_ms: r.cohort.exactP50Ms, p99_ms: r.cohort.exactP99Ms, recall_at_10: 1 },
      { search: 'cohort search (HNSW + rerank)', queries: r.cohort.queries, p50_ms: r.cohort.searchP50Ms, p99_ms: r.cohort.searchP99Ms, recall_at_10: null },
    ]);
    printResult({
      suite: 'bench-search',
      backend: r.backend,
      passages: r.passages,
      patients: r.patients,
      ingest_per_s: r.ingest?.freshPerSecond ?? null,
      p50_ms: r.perPatient.hybrid.p50Ms,
      p99_ms: r.perPatient.hybrid.p99Ms,
      hnsw_recall_at_10: r.cohort.hnswRecallAt10,
      patient_recall_at_10: r.patientRecallAt10,
      bm25_p50_ms: r.perPatient.lexical.p50Ms,
      bm25_p99_ms: r.perPatient.lexical.p99Ms,
      vector_p50_ms: r.perPatient.semantic.p50Ms,
      vector_p99_ms: r.perPatient.semantic.p99Ms,
      hnsw_p50_ms: r.cohort.hnswP50Ms,
      hnsw_p99_ms: r.cohort.hnswP99Ms,
      exact_scan_p50_ms: r.cohort.exactP50Ms,
      bulk_insert_per_s: r.ingest?.bulkPerSecond ?? null,
      hnsw_build_s: r.ingest?.hnswBuildSeconds ?? null,
      model_id: r.modelId,
      cpus: r.machine.cpus,
    });
  } finally {
    await scratch.drop(Boolean(opts.keep));
  }
}
