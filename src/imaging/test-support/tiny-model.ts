import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeOnnxModel } from './onnx-writer.ts';

/**
 * A second, unrelated model for registry tests: 20 × 16 NHWC RGB input, fixed batch size 1, three sigmoid
 * findings. Its logits depend only on mean brightness b (0..1): no-finding 4 − 8b, nodule 8b − 4, effusion −2,
 * so bright images are urgent (nodule) and dark ones routine (no-finding).
 */
export const tinyModelManifest = {
  kind: 'image-classifier',
  id: 'tiny-brightness',
  name: 'Brightness test model',
  version: '0.0.1-test',
  intendedUse: 'Tests only',
  modality: { description: 'test images', dicomModalities: ['OT'] },
  onnx: 'tiny.onnx',
  input: {
    name: 'pixels',
    width: 20,
    height: 16,
    channels: 3,
    layout: 'NHWC',
    resize: 'stretch',
    batchSize: 1,
    normalisation: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
  },
  output: { name: 'scores', activation: 'sigmoid' },
  labels: ['no-finding', 'nodule', 'effusion'],
  positiveLabels: ['nodule', 'effusion'],
  calibration: { method: 'temperature', temperature: 1 },
  threshold: 0.5,
  validation: { split: 'none', n: 1, auroc: 1, sensitivity: 1, specificity: 1 },
};

export function tinyModelOnnx(): Uint8Array {
  const perChannel = [-8 / 3, 8 / 3, 0]; // each of the 3 identical channels contributes a third
  return encodeOnnxModel({
    inputs: [{ name: 'pixels', shape: [1, 16, 20, 3] }],
    outputs: [{ name: 'scores', shape: [1, 3] }],
    initializers: [
      { name: 'weights', dims: [3, 3], values: [...perChannel, ...perChannel, ...perChannel] },
      { name: 'bias', dims: [3], values: [4, -4, -2] },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: ['pixels'], outputs: ['channel_means'], attributes: { axes: [1, 2], keepdims: 0 } },
      { op: 'MatMul', inputs: ['channel_means', 'weights'], outputs: ['product'] },
      { op: 'Add', inputs: ['product', 'bias'], outputs: ['scores'] },
    ],
  });
}

/** Writes the tiny model as `<modelsDir>/tiny-brightness/{tiny.onnx,manifest.json}`, with optional manifest overrides. */
export function writeTinyModel(modelsDir: string, overrides: Record<string, unknown> = {}): string {
  const dir = path.join(modelsDir, 'tiny-brightness');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'tiny.onnx'), tinyModelOnnx());
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...tinyModelManifest, ...overrides }, null, 2));
  return dir;
}
