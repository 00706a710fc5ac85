/**
 * Tokenisation steps of the clinote-embed build, run through @xenova/transformers itself so training sees
 * exactly the token ids the service will produce (Python has no equivalent BERT tokenizer installed here).
 *
 *   count-words <tokenizerDir> <work>   word counts after BERT normalisation + pre-tokenisation → words.tsv
 *   encode <tokenizerDir> <work>        corpus.txt → corpus.tokens.txt, and each JSONL file below → *.ids.jsonl
 *                                       with `<field>_ids` beside every text field (a string or a list of strings)
 *   encode-jsonl <tokenizerDir> <work>  only the JSONL files (the corpus tokens stay as they are)
 *
 * <tokenizerDir> is a folder holding tokenizer.json and tokenizer_config.json.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@xenova/transformers';

interface TokenizerInternals {
  normalizer: ((text: string) => string) | null;
  pre_tokenizer: ((text: string) => string[]) | null;
  model: { vocab: string[] };
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
}

async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer & TokenizerInternals> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(path.resolve(dir));
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(path.resolve(dir)));
  return tokenizer as unknown as PreTrainedTokenizer & TokenizerInternals;
}

async function* lines(file: string): AsyncGenerator<string> {
  const reader = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

async function countWords(tokenizerDir: string, work: string): Promise<void> {
  const tokenizer = await loadTokenizer(tokenizerDir);
  const counts = new Map<string, number>();
  for await (const line of lines(path.join(work, 'corpus.txt'))) {
    const normalized = tokenizer.normalizer ? tokenizer.normalizer(line) : line;
    const words = tokenizer.pre_tokenizer ? tokenizer.pre_tokenizer(normalized) : normalized.split(/\s+/);
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  writeFileSync(path.join(work, 'words.tsv'), rows.map(([w, c]) => `${w}\t${c}`).join('\n') + '\n');
  console.log(`count-words: ${rows.length} distinct words`);
}

async function encode(tokenizerDir: string, work: string, corpus: boolean): Promise<void> {
  const tokenizer = await loadTokenizer(tokenizerDir);
  const ids = (text: string) => tokenizer.encode(text, null, { add_special_tokens: false });

  if (corpus) {
    const out = createWriteStream(path.join(work, 'corpus.tokens.txt'));
    let documents = 0;
    let tokens = 0;
    for await (const line of lines(path.join(work, 'corpus.txt'))) {
      const pieces = ids(line).map((id) => tokenizer.model.vocab[id]);
      tokens += pieces.length;
      documents += 1;
      if (!out.write(pieces.join(' ') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    console.log(`encode: ${documents} corpus documents, ${tokens} tokens`);
  }

  for (const [file, fields] of Object.entries(TEXT_FIELDS)) {
    if (!existsSync(path.join(work, `${file}.jsonl`))) continue;
    const records = readFileSync(path.join(work, `${file}.jsonl`), 'utf8').trim().split('\n');
    const encoded = records.map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      for (const field of fields) {
        const value = record[field] as string | string[];
        record[`${field}_ids`] = typeof value === 'string' ? ids(value) : value.map(ids);
      }
      return JSON.stringify(record);
    });
    writeFileSync(path.join(work, `${file}.ids.jsonl`), encoded.join('\n') + '\n');
    console.log(`encode: ${records.length} records of ${file}.jsonl`);
  }
}

/** The build's JSONL files and their text fields (a missing file is skipped). */
const TEXT_FIELDS: Record<string, string[]> = {
  concepts: ['name', 'terms'],
  codiesp_train: ['sentences', 'titles'],
  extra_pairs: ['texts'],
};

const [command, tokenizerDir, work] = process.argv.slice(2);
if (!tokenizerDir || !work || (command !== 'count-words' && command !== 'encode' && command !== 'encode-jsonl')) {
  console.error('usage: tokenize.ts count-words|encode|encode-jsonl <tokenizerDir> <work>');
  process.exit(2);
}
await (command === 'count-words' ? countWords(tokenizerDir, work) : encode(tokenizerDir, work, command === 'encode'));
