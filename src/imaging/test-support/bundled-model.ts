import { afterAll, beforeAll } from 'vitest';
import { modelLocations } from '../../config/paths.ts';
import type { ImageModel, ModelRegistry } from '../registry.ts';
import { loadModelRegistry } from '../registry-files.ts';

/** The committed models/ registry, loaded for the tests of one file and closed after them. */
export function useBundledModels(): { registry(): ModelRegistry; model(id: string): ImageModel } {
  let loaded: ModelRegistry | undefined;
  beforeAll(async () => {
    loaded = await loadModelRegistry(modelLocations().modelsDir);
  });
  afterAll(() => loaded?.close());
  const registry = () => {
    if (!loaded) throw new Error('the model registry is loaded in beforeAll');
    return loaded;
  };
  return { registry, model: (id) => registry().get(id) };
}
