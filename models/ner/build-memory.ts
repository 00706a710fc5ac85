/**
 * Builds memory.json, the name memory applied after decoding (src/notes/structuring/ner/memory.ts), from the TRAINING
 * splits only, per head (NCBI-disease train for `ncbi`, BC5CDR train for `cdr`):
 *
 * - keep: a name seen at least 3 times in the training text, marked as a mention of one type at ≥ 90% of them;
 * - drop: a name the network tags in the training text, seen at least 3 times there, marked at ≤ 10% of them;
 * - diseaseNouns (adjectives.ts): one-word lower-case names marked as a disease at least twice and at ≥ 50% of
 *   the times they were seen;
 * - modifiers (coordination.ts): words seen at least twice before the last word of a disease mention, and more
 *   often there than as its last word;
 * - leftOut / takenIn (boundaries.ts): words that met the start of a disease mention at least 3 times and were
 *   left out of it (stood right before it) / taken in (began it) at ≥ 90% of them; leftOutAfter the same for
 *   words right after a mention against words ending one.
 *
 *   npx tsx models/ner/build-memory.ts [MODEL_DIR]     (default models/ner; writes MODEL_DIR/memory.json)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../src/config/paths.ts';
import { installModelFilesFromEnvironment } from '../../src/model-files.ts';
import { findMentions } from '../../src/notes/structuring/ner/model.ts';
import { loadNerModel } from '../../src/notes/structuring/ner/ner-files.ts';
import { nameKey } from '../../src/notes/structuring/ner/memory.ts';
import { nerTokens } from '../../src/notes/structuring/ner/tokens.ts';
import { readPubtator } from '../../eval/ner.ts';

installModelFilesFromEnvironment();
const MIN_SEEN = 3;
const KEEP_SHARE = 0.9;
const DROP_SHARE = 0.1;
const LONGEST = 6;
const MIN_NOUN = 2;
const NOUN_SHARE = 0.5;
const MIN_MODIFIER = 2;
const MIN_EDGE = 3;
const EDGE_SHARE = 0.9;

const dir = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname));
const corpus = path.join(sharedDataDir(), 'corpus');
const files = {
  ncbi: path.join(corpus, 'ncbi_disease', 'NCBItrainset_corpus.txt'),
  cdr: path.join(corpus, 'bc5cdr', 'CDR_TrainingSet.PubTator.txt'),
} as const;
const model = await loadNerModel(dir);
model.memory = undefined; // learn from the network's own output, before any memory

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\d]/u.test(c);
const isWord = (text: string) => /^\p{L}+$/u.test(text);
const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** Modifiers and edge words of the disease mentions in the training documents (see the header). */
function diseaseWords(docs: ReturnType<typeof readPubtator>) {
  const beforeLast = new Map<string, number>();
  const last = new Map<string, number>();
  const began = new Map<string, number>();
  const stoodBefore = new Map<string, number>();
  const ended = new Map<string, number>();
  const stoodAfter = new Map<string, number>();
  for (const doc of docs) {
    const tokens = nerTokens(doc.text);
    const startAt = new Map(tokens.map((t, i) => [t.start, i]));
    const endAt = new Map(tokens.map((t, i) => [t.end, i]));
    for (const m of doc.mentions) {
      if (m.type !== 'disease') continue;
      const words = tokens.filter((t) => t.start >= m.start && t.end <= m.end && isWord(t.text)).map((t) => t.text.toLowerCase());
      words.slice(0, -1).forEach((w) => tally(beforeLast, w));
      if (words.length > 0) tally(last, words.at(-1)!);
      if (words.length > 1) tally(ended, words.at(-1)!);
      const next = tokens[(endAt.get(m.end) ?? tokens.length) + 1];
      if (next && isWord(next.text) && next.start > m.end) tally(stoodAfter, next.text.toLowerCase());
      const i = startAt.get(m.start);
      if (i === undefined) continue;
      const first = tokens[i]!;
      if (isWord(first.text) && tokens[i + 1] && tokens[i + 1]!.end <= m.end) tally(began, first.text.toLowerCase());
      const before = tokens[i - 1];
      if (before && isWord(before.text) && before.end < first.start) tally(stoodBefore, before.text.toLowerCase());
    }
  }
  const modifiers = [...beforeLast].filter(([w, n]) => n >= MIN_MODIFIER && n > (last.get(w) ?? 0)).map(([w]) => w);
  const leftOut: string[] = [];
  const takenIn: string[] = [];
  for (const w of new Set([...began.keys(), ...stoodBefore.keys()])) {
    const taken = began.get(w) ?? 0;
    const left = stoodBefore.get(w) ?? 0;
    if (left >= MIN_EDGE && left >= EDGE_SHARE * (taken + left)) leftOut.push(w);
    if (taken >= MIN_EDGE && taken >= EDGE_SHARE * (taken + left)) takenIn.push(w);
  }
  const leftOutAfter = [...stoodAfter].filter(([w, left]) => left >= MIN_EDGE && left >= EDGE_SHARE * (left + (ended.get(w) ?? 0))).map(([w]) => w);
  return { modifiers: modifiers.sort(), leftOut: leftOut.sort(), takenIn: takenIn.sort(), leftOutAfter: leftOutAfter.sort() };
}

const out: Record<string, { keep: Array<[string, string]>; drop: string[]; diseaseNouns: string[]; modifiers: string[]; leftOut: string[]; takenIn: string[]; leftOutAfter: string[] }> = {};
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
  const diseaseNouns: string[] = [];
  for (const key of [...candidates].sort()) {
    const n = seen.get(key) ?? 0;
    const asDisease = marked.get(key)?.get('disease') ?? 0;
    if (/^\p{Ll}+$/u.test(key) && asDisease >= MIN_NOUN && asDisease >= NOUN_SHARE * n) diseaseNouns.push(key);
    if (n < MIN_SEEN) continue;
    const byType = marked.get(key);
    const total = byType ? [...byType.values()].reduce((s, v) => s + v, 0) : 0;
    const [type, count] = byType ? [...byType].sort((a, b) => b[1] - a[1])[0]! : ['', 0];
    if (count >= KEEP_SHARE * n) keep.push([key, type]);
    else if (predicted.has(key) && total <= DROP_SHARE * n) drop.push(key);
  }
  const words = diseaseWords(docs);
  out[head] = { keep, drop, diseaseNouns, ...words };
  process.stderr.write(
    `${head}: ${docs.length} documents, keep ${keep.length}, drop ${drop.length}, disease nouns ${diseaseNouns.length}, modifiers ${words.modifiers.length}, left out ${words.leftOut.length}, taken in ${words.takenIn.length}, left out after ${words.leftOutAfter.length}\n`,
  );
}
writeFileSync(path.join(dir, 'memory.json'), JSON.stringify({ format: 2, heads: out }) + '\n');
