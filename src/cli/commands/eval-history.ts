import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

const round = (value: number) => Number(value.toFixed(4));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('history')
    .description(
      'History search quality: all CodiEsp dev case reports loaded as one test patient (structured, split, embedded, stored), ' +
        'one query per code in >= 3 documents (its ICD-10-CM title); BM25 vs vectors vs hybrid through the per-patient search ' +
        '(nDCG@10, recall@50, MRR over documents). Runs on a fresh in-memory PGlite, or on --database-url.',
    )
    .option('--database-url <url>', 'PostgreSQL to run on (a scratch database: a test patient is added)')
    .action(async (options: { databaseUrl?: string }) => {
      const { evaluateHistoryOnCodiesp } = await import('../../../eval/history-codiesp.ts');
      const { migrate } = await import('../../db/migrate.ts');
      const { getEmbedder } = await import('../../ml/embedder.ts');
      const db = options.databaseUrl
        ? (await import('../../db/pg-database.ts')).openPgDatabase({ connectionString: options.databaseUrl })
        : await (await import('../../db/pglite-database.ts')).openPgliteDatabase();
      try {
        await migrate(db);
        const embedder = await getEmbedder();
        const bars: Record<string, ProgressBar> = {};
        const r = await evaluateHistoryOnCodiesp(db, embedder, sharedDataDir(), (stage, done, total) => {
          const bar = (bars[stage] ??= new ProgressBar(stage === 'index' ? 'documents indexed' : 'queries', total));
          bar.tick();
          if (done === total) bar.finish();
        });
        process.stdout.write(
          `\n${db.kind}, model ${embedder.modelId}: ${r.documents} documents → ${r.passages} passages indexed in ${r.indexSeconds.toFixed(1)} s; ${r.queries} code-title queries\n`,
        );
        printTable(
          (['lexical', 'semantic', 'hybrid'] as const).map((mode) => ({
            method: mode === 'lexical' ? 'bm25' : mode === 'semantic' ? 'vector' : 'hybrid (RRF)',
            ndcg_at_10: r.modes[mode].ndcg10,
            recall_at_50: r.modes[mode].recall50,
            mrr: r.modes[mode].mrr,
            p50_ms: r.modes[mode].p50Ms,
          })),
        );
        printResult({
          suite: 'history-codiesp',
          backend: db.kind,
          model_id: embedder.modelId,
          documents: r.documents,
          passages: r.passages,
          queries: r.queries,
          ndcg10_bm25: round(r.modes.lexical.ndcg10),
          ndcg10_vector: round(r.modes.semantic.ndcg10),
          ndcg10_hybrid: round(r.modes.hybrid.ndcg10),
          recall50_bm25: round(r.modes.lexical.recall50),
          recall50_vector: round(r.modes.semantic.recall50),
          recall50_hybrid: round(r.modes.hybrid.recall50),
          hybrid_over_bm25: round(r.modes.hybrid.ndcg10 / r.modes.lexical.ndcg10),
        });
      } finally {
        await db.close();
      }
    });
}
