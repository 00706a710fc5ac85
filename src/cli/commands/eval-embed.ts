import type { Command } from 'commander';
import { runEmbedEval } from '../../../eval/embed/embed-eval.ts';
import { sharedDataDir } from '../../config/paths.ts';
import { commandGroup } from '../program.ts';
import { printResult, printTable } from '../output.ts';

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

export function register(program: Command): void {
  commandGroup(program, 'eval')
    .command('embed')
    .description(
      'Embedding model: held-out synonym retrieval (recall@1/@10, MRR), CodiEsp dev cohort retrieval ' +
        '(BM25 vs embeddings vs hybrid RRF: nDCG@10, recall@50) and speed through the service loader',
    )
    .option('--model <name-or-path>', 'model folder name under models/ or a path (default: CLINOTE_EMBED_MODEL or clinote-embed)')
    .action(async (options: { model?: string }) => {
      const r = await runEmbedEval({ sharedDir: sharedDataDir(), model: options.model });
      process.stdout.write(`model ${r.modelId} (dim ${r.dimension}), loaded in ${r.loadMs.toFixed(0)} ms\n\n`);
      process.stdout.write(`Held-out synonym retrieval: ${r.synonyms.queries} terms ranking ${r.synonyms.candidates} concept names\n`);
      printTable([
        { source: 'all', queries: r.synonyms.queries, recall_at_1: r.synonyms.recallAt1, recall_at_10: r.synonyms.recallAt10, mrr: r.synonyms.mrr },
        ...Object.entries(r.synonyms.bySource).map(([source, s]) => ({ source, queries: s.queries, recall_at_10: s.recallAt10 })),
      ]);
      process.stdout.write(
        `\nCodiEsp dev cohort retrieval: ${r.cohorts.queries} codes over ${r.cohorts.documents} documents` +
          ` (${r.cohorts.codesWithoutTitle} codes in >= 3 documents have no ICD-10-CM 2021 title and are skipped)\n`,
      );
      printTable(
        (['bm25', 'vector', 'hybrid'] as const).map((method) => ({
          method,
          ndcg_at_10: r.cohorts[method].ndcg10,
          recall_at_50: r.cohorts[method].recall50,
          mrr: r.cohorts[method].mrr,
        })),
      );
      process.stdout.write('\nSpeed (single process)\n');
      printTable([
        {
          sentences: r.speed.sentences,
          sentences_per_s: r.speed.sentencesPerSecond,
          sentences_per_cpu_s: r.speed.sentencesPerCpuSecond,
          query_tokens: r.speed.queryTokens,
          query_p50_ms: r.speed.queryP50Ms,
          cpu_per_wall: r.speed.cpuPerWall,
          load_ms: r.loadMs,
        },
      ]);
      printResult({
        suite: 'embed',
        model_id: r.modelId,
        dimension: r.dimension,
        synonym_recall_at_1: round(r.synonyms.recallAt1),
        synonym_recall_at_10: round(r.synonyms.recallAt10),
        synonym_mrr: round(r.synonyms.mrr),
        ndcg10_bm25: round(r.cohorts.bm25.ndcg10),
        ndcg10_vector: round(r.cohorts.vector.ndcg10),
        ndcg10_hybrid: round(r.cohorts.hybrid.ndcg10),
        recall50_bm25: round(r.cohorts.bm25.recall50),
        recall50_vector: round(r.cohorts.vector.recall50),
        recall50_hybrid: round(r.cohorts.hybrid.recall50),
        hybrid_over_bm25: round(r.cohorts.hybrid.ndcg10 / r.cohorts.bm25.ndcg10),
        sentences_per_s: round(r.speed.sentencesPerSecond, 0),
        sentences_per_cpu_s: round(r.speed.sentencesPerCpuSecond, 0),
        query_p50_ms: round(r.speed.queryP50Ms, 3),
        cpu_per_wall: round(r.speed.cpuPerWall, 2),
        load_ms: round(r.loadMs, 0),
      });
    });
}
