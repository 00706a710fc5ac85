/**
 * Image models: manifest validation, one ONNX Runtime session per model (from the graph's bytes) and the registry
 * that picks a model for an image. `registry-files.ts` finds and reads the models of a folder.
 */
import path from 'node:path';
import ort from 'onnxruntime-node';
import { ModelManifestError, NoSuitableModelError } from './errors.ts';
import type { DecodedImage } from './image.ts';
import { imageModelManifestSchema, type ImageModelManifest } from './manifest.ts';
import { inputTensorLength } from './preprocess.ts';

/** A loaded image model: its manifest and an ONNX Runtime session created once and reused for every call. */
export interface ImageModel {
  readonly manifest: ImageModelManifest;
  readonly dir: string;
  /**
   * Runs the graph on `count` preprocessed inputs laid end to end in `inputs` (see writeInputTensor) and returns
   * the raw output logits, one row of `labels.length` values per input. Splits into the model's batch size.
   */
  run(inputs: Float32Array, count: number): Promise<Float32Array[]>;
}

export interface ModelRegistry {
  /** Loaded models in id order. */
  readonly models: readonly ImageModel[];
  /** The model with this id; throws NoSuitableModelError. */
  get(id: string): ImageModel;
  /**
   * The model for an image: for DICOM with a Modality, the first model (by id) listing it in `dicomModalities`;
   * for PNG/JPEG (no modality), the first model. Throws NoSuitableModelError when none fits.
   */
  select(image: DecodedImage): ImageModel;
  /** Releases the ONNX sessions. */
  close(): Promise<void>;
}

export interface RegistryOptions {
  /** Threads per ONNX session; 1 keeps inference on one core so concurrent jobs do not oversubscribe the CPU. */
  threads?: number;
}

/** Largest batch sent in one call to a model with a dynamic batch dimension (bounds memory for occlusion maps). */
const maxDynamicBatch = 64;

/** Releases the models' ONNX sessions. */
export async function closeModels(models: readonly ImageModel[]): Promise<void> {
  await Promise.all(models.map((m) => (m as LoadedModel).session.release()));
}

/** The registry of the models opened from the folder `dir` (named in errors); fails on a duplicate id. */
export function createModelRegistry(dir: string, opened: readonly ImageModel[]): ModelRegistry {
  const models = [...opened].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
  const ids = models.map((m) => m.manifest.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ModelManifestError(dir, `two models declare the id ${duplicate}`);

  return {
    models,
    get(id) {
      const model = models.find((m) => m.manifest.id === id);
      if (!model) throw new NoSuitableModelError(`No image model with id ${id} (have: ${ids.join(', ') || 'none'})`);
      return model;
    },
    select(image) {
      const modality = image.dicom?.modality;
      const model = modality ? models.find((m) => m.manifest.modality.dicomModalities.includes(modality)) : models[0];
      if (!model) {
        throw new NoSuitableModelError(
          modality ? `No image model accepts DICOM modality ${modality}` : 'No image models are installed',
        );
      }
      return model;
    },
    async close() {
      await closeModels(models);
    },
  };
}

/** The validated manifest in a manifest file's text, or null when it describes something other than an image model. */
export function parseImageManifest(manifestPath: string, text: string): ImageModelManifest | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelManifestError(manifestPath, `not valid JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || (json as { kind?: unknown }).kind !== 'image-classifier') return null;
  const parsed = imageModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ModelManifestError(manifestPath, issues);
  }
  return parsed.data;
}

interface LoadedModel extends ImageModel {
  readonly session: ort.InferenceSession;
}

/** Opens the model a manifest describes from its ONNX graph's bytes and checks the graph against the manifest. */
export async function openImageModel(manifestPath: string, manifest: ImageModelManifest, graph: Uint8Array, threads: number): Promise<ImageModel> {
  const dir = path.dirname(manifestPath);
  const session = await ort.InferenceSession.create(graph, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const { input, output, labels } = manifest;
  const fail = async (message: string): Promise<never> => {
    await session.release();
    throw new ModelManifestError(manifestPath, message);
  };
  if (!session.inputNames.includes(input.name)) await fail(`graph has no input ${input.name} (has ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(output.name)) await fail(`graph has no output ${output.name} (has ${session.outputNames.join(', ')})`);

  const perInput = inputTensorLength(input);
  const dims = (n: number) =>
    input.layout === 'NCHW' ? [n, input.channels, input.height, input.width] : [n, input.height, input.width, input.channels];

  async function runBatch(data: Float32Array, n: number): Promise<Float32Array> {
    const result = await session.run({ [input.name]: new ort.Tensor('float32', data, dims(n)) });
    const tensor = result[output.name];
    if (!tensor || tensor.type !== 'float32' || tensor.size !== n * labels.length) {
      throw new ModelManifestError(
        manifestPath,
        `output ${output.name} has shape [${tensor?.dims.join(', ')}], expected [${n}, ${labels.length}] float32`,
      );
    }
    return tensor.data as Float32Array;
  }

  const model: LoadedModel = {
    manifest,
    dir,
    session,
    async run(inputs, count) {
      if (inputs.length !== count * perInput) throw new Error(`Expected ${count * perInput} input values, got ${inputs.length}`);
      const batch = input.batchSize ?? maxDynamicBatch;
      const rows: Float32Array[] = [];
      for (let start = 0; start < count; start += batch) {
        const n = Math.min(batch, count - start);
        let chunk = inputs.subarray(start * perInput, (start + n) * perInput);
        if (input.batchSize !== undefined && n < input.batchSize) {
          // A fixed batch dimension: pad with zeros and drop the padded rows.
          const padded = new Float32Array(input.batchSize * perInput);
          padded.set(chunk);
          chunk = padded;
        }
        const logits = await runBatch(chunk, input.batchSize ?? n);
        for (let i = 0; i < n; i++) rows.push(logits.slice(i * labels.length, (i + 1) * labels.length));
      }
      return rows;
    },
  };
  // One dry run checks the graph against the manifest (input shape, output width) at load time, and warms the session.
  try {
    await model.run(new Float32Array(perInput), 1);
  } catch (error) {
    await session.release();
    throw error instanceof ModelManifestError ? error : new ModelManifestError(manifestPath, (error as Error).message);
  }
  return model;
}
