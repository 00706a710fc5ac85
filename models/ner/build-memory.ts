/**
 * Builds memory.json, the name memory applied after decoding (src/notes/structuring/ner/memory.ts), from the TRAINING
 * splits only, per head (NCBI-disease train for `ncbi`, BC5CDR train for `cdr`):
 *
 * - keep: a name seen at least 3 times in the training text, marked as a mention of one type at ≥ 90% of them;
 * - drop: a name the network tags in the training text, seen at least 3 times there, marked at ≤ 10% of them.
 *
 *   npx tsx models/ner/build-memory.ts [MODEL_DIR]     (default models/ner; writes MODEL_DIR/memory.json)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../src/config/paths.ts';
import { installModelFilesFromEnvironment } from '../../src/model-files.ts';
import { findMentions } from '../../src/notes/structuring/ner/index.ts';
import { loadNerModel } from '../../src/notes/structuring/ner/ner-files.ts';
import { nameKey } from '../../src/notes/structuring/ner/memory.ts';
import { nerTokens } from '../../src/notes/structuring/ner/tokens.ts';
import { readPubtator } from '../../eval/ner.ts';

installModelFilesFromEnvironment();
const MIN_SEEN = 3;
const KEEP_SHARE = 0.9;
const DROP_SHARE = 0.1;
const LONGEST = 6;

const dir = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname));
const corpus = path.join(sharedDataDir(), 'corpus');
const files = {
  ncbi: path.join(corpus, 'ncbi_disease', 'NCBItrainset_corpus.txt'),
  cdr: path.join(corpus, 'bc5cdr', 'CDR_TrainingSet.PubTator.txt'),
} as const;
const model = await loadNerModel(dir);
model.memory = undefined; // learn from the network's own output, before any memory

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\d]/u.test(c);
const out: Record<string, { keep: Array<[string, string]>; drop: string[] }> = {};
for (const [head, file] of Object.entries(files) as Array<['ncbi' | 'cdr', string]>) {
  const docs = readPubtator(file);
  const seen = new Map<string, number>();
  const marked = new Map<string, Map<string, number>>();
  const predicted = new Set<string>();
  const candidates = new Set<string>();
  const perDoc = [];
  for (const doc of docs) {
    const tokens = nerTokens(doc.text);
    const words = tokens.map((t) => t.text);
    const startAt = new Map(tokens.map((t, i) => [t.start, i]));
    const endAt = new Map(tokens.map((t, i) => [t.end, i]));
    for (const m of doc.mentions) {
      const a = startAt.get(m.start);
      const b = endAt.get(m.end);
      if (a === undefined || b === undefined) continue;
      const key = nameKey(words.slice(a, b + 1));
      candidates.add(key);
      const byType = marked.get(key) ?? new Map<string, number>();
      byType.set(m.type, (byType.get(m.type) ?? 0) + 1);
      marked.set(key, byType);
    }
    for (const m of await findMentions(model, doc.text, { head, propagate: false })) {
      const a = startAt.get(m.start)!;
      const b = endAt.get(m.end)!;
      const key = nameKey(words.slice(a, b + 1));
      predicted.add(key);
      candidates.add(key);
    }
    perDoc.push({ tokens, gold: doc.mentions });
  }
  for (const { tokens, gold } of perDoc) {
    const words = tokens.map((t) => t.text);
    // An occurrence inside a longer marked mention ("anemia" in "hemolytic anemia") is neither marked nor unmarked.
    const insideLonger = (i: number, n: number) => {
      const start = tokens[i]!.start;
      const end = tokens[i + n - 1]!.end;
      return gold.some((m) => m.start <= start && end <= m.end && (m.start !== start || m.end !== end));
    };
    for (let i = 0; i < tokens.length; i++) {
      if (i > 0 && tokens[i - 1]!.end === tokens[i]!.start && isWordChar(tokens[i - 1]!.text.at(-1)) && isWordChar(tokens[i]!.text[0])) continue;
      for (let n = 1; n <= LONGEST && i + n <= tokens.length; n++) {
        const after = tokens[i + n];
        const last = tokens[i + n - 1]!;
        if (after && last.end === after.start && isWordChar(last.text.at(-1)) && isWordChar(after.text[0])) continue;
        const key = nameKey(words.slice(i, i + n));
        if (candidates.has(key) && !insideLonger(i, n)) seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
  }
  const keep: Array<[string, string]> = [];
  const drop: string[] = [];
  for (const key of [...candidates].sort()) {
    const n = seen.get(key) ?? 0;
    if (n < MIN_SEEN) continue;
    const byType = marked.get(key);
    const total = byType ? [...byType.values()].reduce((s, v) => s + v, 0) : 0;
    const [type, count] = byType ? [...byType].sort((a, b) => b[1] - a[1])[0]! : ['', 0];
    if (count >= KEEP_SHARE * n) keep.push([key, type]);
    else if (predicted.has(key) && total <= DROP_SHARE * n) drop.push(key);
  }
  out[head] = { keep, drop };
  process.stderr.write(`${head}: ${docs.length} documents, keep ${keep.length}, drop ${drop.length}\n`);
}
writeFileSync(path.join(dir, 'memory.json'), JSON.stringify({ format: 1, heads: out }) + '\n');
