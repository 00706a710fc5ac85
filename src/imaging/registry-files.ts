/** Loads the image models of a models folder: every `<dir>/*\/manifest.json` of kind image-classifier. */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelManifestError } from './errors.ts';
import { closeModels, createModelRegistry, openImageModel, parseImageManifest, type ImageModel, type ModelRegistry, type RegistryOptions } from './registry.ts';

/** Discovers the manifests, validates each and opens its ONNX session once. */
export async function loadModelRegistry(dir: string, options: RegistryOptions = {}): Promise<ModelRegistry> {
  const manifestPaths = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(dir, entry.name, 'manifest.json'))
        .filter((file) => existsSync(file))
        .sort()
    : [];
  const models: ImageModel[] = [];
  try {
    for (const manifestPath of manifestPaths) {
      const manifest = parseImageManifest(manifestPath, await readFile(manifestPath, 'utf8'));
      if (!manifest) continue;
      const onnxPath = path.join(path.dirname(manifestPath), manifest.onnx);
      if (!existsSync(onnxPath)) throw new ModelManifestError(manifestPath, `ONNX file ${manifest.onnx} not found`);
      models.push(await openImageModel(manifestPath, manifest, await readFile(onnxPath), options.threads ?? 1));
    }
  } catch (error) {
    await closeModels(models);
    throw error;
  }
  return createModelRegistry(dir, models);
}
