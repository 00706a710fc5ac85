import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLocations } from '../config/paths.ts';
import { decodeImage } from './decode.ts';
import { ModelManifestError, NoSuitableModelError } from './errors.ts';
import { renderHeatmap } from './heatmap.ts';
import type { DecodedImage } from './image.ts';
import type { ModelRegistry } from './registry.ts';
import { loadModelRegistry } from './registry-files.ts';
import { buildTestDicom } from './test-support/dicom-writer.ts';
import { tinyModelManifest, writeTinyModel } from './test-support/tiny-model.ts';
import { valPngs } from './test-support/shared-images.ts';
import { triageImage } from './triage.ts';

const { modelsDir } = modelLocations();

const scratch = mkdtempSync(path.join(tmpdir(), 'clinote-models-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function modelsFolder(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function greyImage(width: number, height: number, level: (x: number, y: number) => number): DecodedImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = level(x, y);
  return { format: 'png', width, height, pixels, dicom: null };
}

/** Textured so the quality gate passes; brightness set by `base`. */
const textured = (base: number) => greyImage(40, 30, (x, y) => base + ((x * 7 + y * 13) % 40));

describe('loadModelRegistry', () => {
  it('discovers the committed chest X-ray model and validates its manifest', async () => {
    const registry = await loadModelRegistry(modelsDir);
    try {
      const model = registry.get('cxr-pneumonia');
      expect(model.manifest).toMatchObject({ labels: ['normal', 'pneumonia'], positiveLabels: ['pneumonia'] });
      expect(registry.get('cxr-pneumonia')).toBe(model); // one session per model, reused
    } finally {
      await registry.close();
    }
  });

  it('the committed chest X-ray model separates pneumonia from normal on real val images at its own threshold', async () => {
    const registry = await loadModelRegistry(modelsDir);
    try {
      const model = registry.get('cxr-pneumonia');
      const score = async (label: 'normal' | 'pneumonia') =>
        Promise.all(valPngs(label, 40).map(async (png) => triageImage(await decodeImage(png.bytes), model)));
      const [pneumonia, normal] = [await score('pneumonia'), await score('normal')];
      const urgent = (results: typeof normal) => results.filter((r) => r.priority === 'urgent').length;
      // A triage aid must flag nearly every pneumonia, and still leave most normal films routine.
      expect(urgent(pneumonia)).toBeGreaterThanOrEqual(36);
      expect(urgent(normal)).toBeLessThanOrEqual(8);
      // Ranking: the share of (pneumonia, normal) pairs where the pneumonia scores higher (AUROC on this sample).
      const p = (r: (typeof normal)[number]) => r.probabilities?.pneumonia ?? Number.NaN;
      let wins = 0;
      for (const a of pneumonia) for (const b of normal) wins += p(a) > p(b) ? 1 : p(a) === p(b) ? 0.5 : 0;
      expect(wins / (pneumonia.length * normal.length)).toBeGreaterThanOrEqual(0.9);
    } finally {
      await registry.close();
    }
  });

  describe('a second model with another input size, layout, batch and label set, through its manifest alone', () => {
    let registry: ModelRegistry;
    beforeAll(async () => {
      const dir = modelsFolder('mixed');
      cpSync(path.join(modelsDir, 'cxr-pneumonia'), path.join(dir, 'cxr-pneumonia'), { recursive: true });
      writeTinyModel(dir);
      // Another capability's artifact folder with its own manifest kind is ignored.
      mkdirSync(path.join(dir, 'embeddings'));
      writeFileSync(path.join(dir, 'embeddings', 'manifest.json'), JSON.stringify({ kind: 'text-embedding', dims: 384 }));
      registry = await loadModelRegistry(dir);
    });
    afterAll(() => registry.close());

    it('loads both models in id order and selects by DICOM modality', async () => {
      expect(registry.models.map((m) => m.manifest.id)).toEqual(['cxr-pneumonia', 'tiny-brightness']);
      const dicom = (modality: string) =>
        decodeImage(buildTestDicom({ rows: 4, columns: 4, bitsAllocated: 8, pixels: new Uint8Array(16), modality }));
      expect(registry.select(await dicom('DX')).manifest.id).toBe('cxr-pneumonia');
      expect(registry.select(await dicom('OT')).manifest.id).toBe('tiny-brightness');
      expect(() => registry.select({ ...textured(0), dicom: null })).not.toThrow();
      await dicom('CT').then((ct) => expect(() => registry.select(ct)).toThrow(NoSuitableModelError));
      expect(() => registry.get('missing')).toThrow(NoSuitableModelError);
    });

    it('triages with the tiny model: resize to 20×16, NHWC RGB, sigmoid labels, threshold per manifest', async () => {
      const model = registry.get('tiny-brightness');
      const bright = await triageImage(textured(180), model);
      const dark = await triageImage(textured(10), model);
      expect(bright).toMatchObject({ priority: 'urgent', label: 'nodule', modelVersion: '0.0.1-test', threshold: 0.5 });
      expect(dark).toMatchObject({ priority: 'routine', label: 'no-finding' });
      // Mean brightness b of the resized view drives the logits: nodule = sigmoid(8b − 4).
      const b = (180 + 19.5) / 255;
      expect(bright.probabilities?.nodule).toBeCloseTo(1 / (1 + Math.exp(-(8 * b - 4))), 1);
      expect(bright.probabilities?.effusion).toBeCloseTo(1 / (1 + Math.exp(2)), 5);
      expect(Object.keys(dark.probabilities ?? {})).toEqual(['no-finding', 'nodule', 'effusion']);
    });

    it('renders a heatmap for the tiny model at its own aspect ratio', async () => {
      const png = await renderHeatmap(textured(120), registry.get('tiny-brightness'), { size: 200 });
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 200, 160, 3]);
    });

    it('scores a real chest X-ray with the production model in the same registry', async () => {
      const image = await decodeImage(valPngs('pneumonia', 1)[0]!.bytes);
      const result = await triageImage(image, registry.select(image));
      expect(result.modelId).toBe('cxr-pneumonia');
      expect(result.priority).not.toBe('unreadable');
    });
  });

  it('rejects invalid manifests with the file path and the reasons', async () => {
    const dir = modelsFolder('invalid');
    writeTinyModel(dir, { positiveLabels: ['mass'], input: { ...tinyModelManifest.input, channels: 1 } });
    const error = await loadModelRegistry(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelManifestError);
    expect((error as Error).message).toContain(path.join(dir, 'tiny-brightness', 'manifest.json'));
    expect((error as Error).message).toContain('mass is not in labels');
    expect((error as Error).message).toContain('input.normalisation.mean');
  });

  it('rejects a manifest that disagrees with its ONNX graph at load time', async () => {
    const wrongOutput = modelsFolder('wrong-output');
    writeTinyModel(wrongOutput, { output: { name: 'logits', activation: 'sigmoid' } });
    await expect(loadModelRegistry(wrongOutput)).rejects.toThrow(/graph has no output logits/);

    const wrongLabels = modelsFolder('wrong-labels');
    writeTinyModel(wrongLabels, { labels: ['no-finding', 'nodule', 'effusion', 'mass'] });
    await expect(loadModelRegistry(wrongLabels)).rejects.toThrow(/expected \[1, 4\]/);

    const wrongSize = modelsFolder('wrong-size');
    writeTinyModel(wrongSize, { input: { ...tinyModelManifest.input, width: 24 } });
    await expect(loadModelRegistry(wrongSize)).rejects.toBeInstanceOf(ModelManifestError);
  });
});
