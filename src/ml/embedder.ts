/**
 * The text embedding model of the service: one loader shared by every caller (history search, ICD-10-CM
 * suggestions), loaded once per process through the ordinary @xenova/transformers feature-extraction pipeline,
 * strictly from local files.
 *
 * Callers' texts go through one queue: concurrent small requests are coalesced into batches and inference
 * runs one batch at a time, so a busy API does not start many competing model runs on a two-core machine.
 */
import path from 'node:path';

export interface Embedder {
  /** Name plus a short hash of the ONNX file: stored with every vector so a model change is detected. */
  readonly modelId: string;
  readonly dimension: number;
  /** Unit-length vectors in input order; a text with no known tokens (e.g. empty) gives the zero vector. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** What the loader needs from a model folder, read by `embedder-files.ts`. */
export interface EmbeddingModelFiles {
  /** The model folder; transformers.js reads the ONNX graph and the tokenizer from it. */
  readonly dir: string;
  /** Name plus a short hash of the ONNX file. */
  readonly modelId: string;
  /** `hidden_size` of its config.json. */
  readonly dimension: number;
}

export interface EmbedderOptions {
  /** Texts per model call (the pipeline pads a batch to its longest text, so batches are formed by length). */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 64;
/** How many queued texts are sorted by length together before being cut into batches. */
const SORT_WINDOW = 4096;

interface TensorLike {
  data: ArrayLike<number | bigint>;
  dims: number[];
}

/** The two halves of a transformers.js feature-extraction pipeline. */
interface FeatureExtractor {
  tokenizer(texts: string[], options: { padding: true; truncation: true }): { attention_mask: TensorLike };
  model(inputs: unknown): Promise<Record<string, TensorLike | undefined>>;
}

/**
 * Mean pooling over unmasked tokens, then L2 normalisation: the same result as the pipeline's
 * `{ pooling: 'mean', normalize: true }`, whose pooling loop converts every BigInt mask entry once per dimension
 * and costs several times the model itself. Rows with a zero sum (no known token) stay zero.
 */
export function meanPoolNormalized(hidden: TensorLike, attentionMask: TensorLike): Float32Array[] {
  const [batch = 0, length = 0, dim = 0] = hidden.dims;
  const values = hidden.data as ArrayLike<number>;
  const rows: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float32Array(dim);
    for (let t = 0; t < length; t++) {
      if (Number(attentionMask.data[b * length + t]) === 0) continue;
      const offset = (b * length + t) * dim;
      for (let k = 0; k < dim; k++) sum[k]! += values[offset + k]!;
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += sum[k]! * sum[k]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < dim; k++) sum[k]! /= norm;
    rows.push(sum);
  }
  return rows;
}

interface Pending {
  text: string;
  resolve(vector: Float32Array): void;
  reject(error: unknown): void;
}

class QueuedEmbedder implements Embedder {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    readonly modelId: string,
    readonly dimension: number,
    private readonly extractor: FeatureExtractor,
    private readonly batchSize: number,
  ) {}

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = Promise.all(
      texts.map((text) => new Promise<Float32Array>((resolve, reject) => this.queue.push({ text, resolve, reject }))),
    );
    void this.drain();
    return vectors;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const window = this.queue.splice(0, SORT_WINDOW).sort((a, b) => a.text.length - b.text.length);
        for (let start = 0; start < window.length; start += this.batchSize) {
          await this.run(window.slice(start, start + this.batchSize));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      // What the pipeline does for `{ pooling: 'mean', normalize: true }`, with a faster pooling loop.
      const inputs = this.extractor.tokenizer(
        batch.map((p) => p.text),
        { padding: true, truncation: true },
      );
      const outputs = await this.extractor.model(inputs);
      const hidden = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
      if (!hidden) throw new Error('embedding model returned no token embeddings');
      const vectors = meanPoolNormalized(hidden, inputs.attention_mask);
      batch.forEach((pending, row) => pending.resolve(vectors[row]!));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

/** Loads a model afresh (no sharing): for evaluations that measure load time or compare models. */
export async function loadEmbedder(files: EmbeddingModelFiles, options: EmbedderOptions = {}): Promise<Embedder> {
  const { dir, modelId, dimension } = files;

  // Imported here, not at module load: processes that never embed (CLI commands, start-up) skip its cost.
  const { env, pipeline } = await import('@xenova/transformers');
  // Strictly offline: transformers.js must never try the Hugging Face hub or write a download cache.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.localModelPath = path.dirname(dir);
  const extractor = (await pipeline('feature-extraction', path.basename(dir), {
    quantized: true,
    local_files_only: true,
  })) as unknown as FeatureExtractor;
  return new QueuedEmbedder(modelId, dimension, extractor, options.batchSize ?? DEFAULT_BATCH_SIZE);
}

let readModel: (() => Promise<EmbeddingModelFiles>) | undefined;
let shared: Promise<Embedder> | undefined;

/**
 * Installs where the configured model (CLINOTE_EMBED_MODEL) comes from (the process's composition root does,
 * once); drops the loaded one.
 */
export function useEmbeddingModel(read: () => Promise<EmbeddingModelFiles>): void {
  readModel = read;
  shared = undefined;
}

/** The process-wide embedder for the configured model (CLINOTE_EMBED_MODEL, default clinote-embed), loaded once. */
export function getEmbedder(): Promise<Embedder> {
  if (!readModel) return Promise.reject(new Error('no embedding model installed: the composition root calls installModelFiles (src/model-files.ts)'));
  if (!shared) {
    const embedder = readModel().then((files) => loadEmbedder(files));
    // A failed load is not cached, so a corrected model folder can be picked up by the next call.
    embedder.catch(() => {
      if (shared === embedder) shared = undefined;
    });
    shared = embedder;
  }
  return shared;
}
