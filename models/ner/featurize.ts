/**
 * Exports the NER training documents as JSON lines for models/ner/train.py, through the same tokenizer and
 * feature code the runtime uses (src/notes/structuring/ner/tokens.ts).
 *
 *   npx tsx models/ner/featurize.ts OUT.jsonl
 *
 * Training splits only: NCBI-disease train (diseases) and BC5CDR train (chemicals and diseases). A training
 * document whose PMID is also in the other corpus's development set is left out, so no dev abstract is learned.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../src/config/paths.ts';
import { installModelFilesFromEnvironment } from '../../src/model-files.ts';
import { charIds, FEATURE_COUNT, nerTokens, tokenFeatures, wordKey } from '../../src/notes/structuring/ner/tokens.ts';
import { readPubtator, type PubtatorDocument } from '../../eval/ner.ts';

installModelFilesFromEnvironment();
const corpus = path.join(sharedDataDir(), 'corpus');
const sets = {
  ncbi: readPubtator(path.join(corpus, 'ncbi_disease', 'NCBItrainset_corpus.txt')),
  cdr: readPubtator(path.join(corpus, 'bc5cdr', 'CDR_TrainingSet.PubTator.txt')),
};
const devPmids = new Set([
  ...readPubtator(path.join(corpus, 'ncbi_disease', 'NCBIdevelopset_corpus.txt')).map((d) => d.pmid),
  ...readPubtator(path.join(corpus, 'bc5cdr', 'CDR_DevelopmentSet.PubTator.txt')).map((d) => d.pmid),
]);

const lines: string[] = [];
let mentions = 0;
let unaligned = 0;
let skipped = 0;
for (const [name, docs] of Object.entries(sets) as Array<[string, PubtatorDocument[]]>) {
  const seen = new Set<string>();
  for (const doc of docs) {
    if (seen.has(doc.pmid)) continue; // NCBI-disease train lists one abstract twice
    seen.add(doc.pmid);
    if (devPmids.has(doc.pmid)) {
      skipped++;
      continue;
    }
    const tokens = nerTokens(doc.text);
    const labels = tokens.map(() => 'O');
    for (const m of doc.mentions) {
      mentions++;
      const inside = tokens.flatMap((t, i) => (t.start >= m.start && t.end <= m.end ? [i] : []));
      if (inside.length === 0 || tokens[inside[0]!]!.start !== m.start || tokens[inside.at(-1)!]!.end !== m.end) unaligned++;
      inside.forEach((i, k) => (labels[i] = `${k === 0 ? 'B' : 'I'}-${m.type}`));
    }
    const features = tokenFeatures(doc.text, tokens);
    lines.push(
      JSON.stringify({
        corpus: name,
        pmid: doc.pmid,
        words: tokens.map((t) => wordKey(t.text)),
        chars: tokens.map((t) => charIds(t.text)),
        features: Array.from({ length: tokens.length }, (_, i) => Array.from(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT))),
        labels,
      }),
    );
  }
}
writeFileSync(process.argv[2] ?? 'ner-train.jsonl', lines.join('\n') + '\n');
process.stderr.write(`${lines.length} documents, ${mentions} mentions (${unaligned} not on token edges), ${skipped} left out (PMID in a dev set)\n`);
