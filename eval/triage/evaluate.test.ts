import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLocations } from '../../src/config/paths.ts';
import type { ModelRegistry } from '../../src/imaging/registry.ts';
import { loadModelRegistry } from '../../src/imaging/registry-files.ts';
import { pneumoniaMnistDir } from '../../src/imaging/test-support/shared-images.ts';
import { evaluateTriage } from './evaluate.ts';

const { modelsDir } = modelLocations();

let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadModelRegistry(modelsDir);
});
afterAll(() => registry.close());

describe('evaluateTriage on the PneumoniaMNIST val split', () => {
  it('reproduces in TypeScript/ONNX Runtime the figures training recorded in the manifest, and meets the targets', async () => {
    const model = registry.get('cxr-pneumonia');
    const result = await evaluateTriage(pneumoniaMnistDir(), 'val', model);
    const { validation } = model.manifest;
    expect(result.n).toBe(validation.n);
    expect(result.auroc).toBeCloseTo(validation.auroc, 3);
    expect(result.operatingPoint.sensitivity).toBeCloseTo(validation.sensitivity, 4);
    expect(result.operatingPoint.specificity).toBeCloseTo(validation.specificity, 4);
    expect(result.auroc).toBeGreaterThanOrEqual(0.97);
    expect(result.operatingPoint.sensitivity).toBeGreaterThanOrEqual(0.95);
    expect(result.unreadable).toBe(0);
  });

  it('quotes the manifest figures in the model card', () => {
    const model = registry.get('cxr-pneumonia');
    const card = readFileSync(path.join(model.dir, 'MODEL_CARD.md'), 'utf8');
    const { threshold, validation, calibration } = model.manifest;
    for (const figure of [threshold, validation.auroc, validation.sensitivity, validation.specificity, calibration.temperature]) {
      expect(card).toContain(String(figure));
    }
    expect(card).toContain('triage aid, not a diagnosis');
  });
});
