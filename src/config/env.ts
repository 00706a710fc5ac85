import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Raised when the environment does not describe a runnable configuration; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** A byte size such as 1048576, 512kb or 20mb; the default is parsed like any given value. */
const byteSize = (fallback: string) =>
  z
  .string()
  .default(fallback)
  .transform((v) => v.trim())
  .pipe(z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'must be a size such as 1048576, 512kb or 20mb'))
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = (m[2] ?? 'b').toLowerCase();
    const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit as 'b' | 'kb' | 'mb' | 'gb'];
    return Math.round(Number(m[1]) * factor);
  });

const positiveInt = z.coerce.number().int().positive();

/** A setting that may be absent; an empty value counts as absent. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const envSchema = z.object({
  /** PostgreSQL connection string; unset → embedded PGlite under CLINOTE_DATA_DIR. */
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  /** Redis connection string; unset → in-process job queue. */
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  CLINOTE_DATA_DIR: z.string().trim().min(1).default('./.clinote'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest JSON/text request body. */
  CLINOTE_BODY_LIMIT: byteSize('1mb'),
  /** Largest image upload. */
  CLINOTE_IMAGE_LIMIT: byteSize('20mb'),
  /** Largest image width × height, checked from the header before any pixel is decoded. */
  CLINOTE_IMAGE_MAX_PIXELS: positiveInt.default(32_000_000),
  /** Largest decompressed image content (a deflated DICOM data set): decompression stops there. */
  CLINOTE_IMAGE_MAX_DECODED: byteSize('64mb'),
  /** Failed authentications per minute for one key prefix before further failures are answered 429. */
  CLINOTE_AUTH_FAILURES_PER_KEY_PREFIX: positiveInt.default(10),
  /** Failed authentications per minute from one client address before further failures are answered 429. */
  CLINOTE_AUTH_FAILURES_PER_ADDRESS: positiveInt.default(30),
  /** Comma-separated allowed CORS origins; empty → same-origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Prefix of the job queue's Redis keys, so several deployments can share one Redis. */
  CLINOTE_QUEUE_PREFIX: z.string().trim().regex(/^[\w-]{1,64}$/, 'letters, digits, _ and - only').default('clinote'),
  /** Jobs processed at once per worker process. */
  CLINOTE_WORKER_CONCURRENCY: positiveInt.default(2),
  /** Attempts per job before it is marked failed. */
  CLINOTE_JOB_ATTEMPTS: positiveInt.default(3),
  /** Worker threads for CPU-heavy note and image work; default one per core, 0 runs that work on the calling thread. */
  CLINOTE_COMPUTE_THREADS: z.coerce.number().int().min(0).max(256).default(availableParallelism()),
  /** Jobs waiting or running past which note and image submits are refused (503 with Retry-After). */
  CLINOTE_MAX_PENDING_JOBS: positiveInt.default(1000),
  /** Folder with the model artifacts and lexicons (default: the checkout's models/). */
  CLINOTE_MODELS_DIR: optionalText,
  /** Embedding model: a folder name under CLINOTE_MODELS_DIR, or a path to a model folder. */
  CLINOTE_EMBED_MODEL: optionalText.transform((v) => v ?? 'clinote-embed'),
  /** ICD-10-CM ranker file (one written by `clinote icd10 learn`; default: the bundled icd10cm/ranker.json.gz). */
  CLINOTE_ICD10_RANKER: optionalText,
  /** Load the on-device models just after start (true) or on the first request that needs each one (false). */
  CLINOTE_PRELOAD_MODELS: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** ICD-10-CM code-set version used for suggestions (default: the bundled one). */
  CLINOTE_ICD10_VERSION: optionalText,
  /** The read-only shared data sets, read only by build scripts, evaluations and tests (default ../shared/data). */
  CLINOTE_SHARED_DATA: optionalText,
  /** Optional OpenAI-compatible speech-to-text server. */
  STT_BASE_URL: optionalUrl(['http', 'https']),
  STT_MODEL: z.string().trim().default('whisper-1'),
  /** Optional OpenAI-compatible or Ollama chat server for the LLM structuring pass. */
  LLM_BASE_URL: optionalUrl(['http', 'https']),
  LLM_MODEL: z.string().trim().optional(),
  LLM_API_KEY: z.string().optional(),
});

export type Config = Readonly<
  z.infer<typeof envSchema> & {
    /** Absolute data directory. */
    dataDir: string;
    /** Which storage backend the environment selects. */
    storage: 'postgres' | 'pglite';
    /** Which job queue driver the environment selects. */
    queue: 'bullmq' | 'in-process';
  }
>;

/** Parses and validates configuration from the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return Object.freeze({
    ...c,
    dataDir: path.resolve(c.CLINOTE_DATA_DIR),
    storage: c.DATABASE_URL ? 'postgres' : 'pglite',
    queue: c.REDIS_URL ? 'bullmq' : 'in-process',
  } as const);
}
