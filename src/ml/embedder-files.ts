/** Finds an embedding model folder and reads what the loader needs from it (config.json, the ONNX file's hash). */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingModelFiles } from './embedder.ts';

/** Where the model lives: a bare name is a folder in the models folder; anything with a path separator is a folder path. */
export function resolveEmbeddingModel(model: string, modelsDir: string): { name: string; dir: string } {
  const dir = model.includes('/') || model.includes(path.sep) ? path.resolve(model) : path.join(modelsDir, model);
  return { name: path.basename(dir), dir };
}

export async function readEmbeddingModelFiles(dir: string): Promise<EmbeddingModelFiles> {
  const [onnxFile, configText] = await Promise.all([
    readFile(path.join(dir, 'onnx', 'model_quantized.onnx')),
    readFile(path.join(dir, 'config.json'), 'utf8'),
  ]);
  const dimension = (JSON.parse(configText) as { hidden_size: number }).hidden_size;
  const modelId = `${path.basename(dir)}@${createHash('sha256').update(onnxFile).digest('hex').slice(0, 12)}`;
  return { dir, modelId, dimension };
}
