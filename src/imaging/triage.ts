import type { DecodedImage } from './image.ts';
import type { ImageModelManifest } from './manifest.ts';
import { inputTensorLength, toModelView, writeInputTensor } from './preprocess.ts';
import { assessImageQuality, type QualityReport } from './quality.ts';
import type { ImageModel } from './registry.ts';

/** Calibrated model output for one image. */
export interface ModelScore {
  /** Calibrated probability per label (temperature-scaled softmax or sigmoid). */
  probabilities: Record<string, number>;
  /** The highest calibrated probability among the manifest's positive labels. */
  score: number;
  /** The most probable positive label when score ≥ threshold, otherwise the most probable non-positive label. */
  label: string;
}

export type TriagePriority = 'urgent' | 'routine' | 'unreadable';

interface TriageFacts {
  modelId: string;
  modelVersion: string;
  threshold: number;
  quality: QualityReport;
  /** Preprocessing plus inference time. */
  elapsedMs: number;
}

/** A triage aid's ordering decision for the reading worklist: never a diagnosis. */
export type TriageResult =
  | (TriageFacts & { priority: 'urgent' | 'routine' } & ModelScore)
  | (TriageFacts & { priority: 'unreadable'; probabilities: null; score: null; label: null });

export function minSideFor(manifest: ImageModelManifest): number {
  return manifest.quality.minSide ?? Math.min(manifest.input.width, manifest.input.height);
}

/** Calibrated probabilities from raw logits, per the manifest's activation and temperature. */
export function calibrate(logits: Float32Array, manifest: ImageModelManifest): number[] {
  const t = manifest.calibration.temperature;
  const scaled = Array.from(logits, (z) => z / t);
  if (manifest.output.activation === 'sigmoid') return scaled.map((z) => 1 / (1 + Math.exp(-z)));
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** The triage score: the highest calibrated probability among the positive labels. */
export function positiveScore(probabilities: readonly number[], manifest: ImageModelManifest): number {
  return Math.max(...manifest.positiveLabels.map((label) => probabilities[manifest.labels.indexOf(label)]!));
}

export function toModelScore(logits: Float32Array, manifest: ImageModelManifest): ModelScore {
  const probabilities = calibrate(logits, manifest);
  const score = positiveScore(probabilities, manifest);
  const positive = score >= manifest.threshold;
  let label = '';
  let best = -1;
  manifest.labels.forEach((candidate, i) => {
    if (manifest.positiveLabels.includes(candidate) === positive && probabilities[i]! > best) {
      best = probabilities[i]!;
      label = candidate;
    }
  });
  return { probabilities: Object.fromEntries(manifest.labels.map((l, i) => [l, probabilities[i]!])), score, label };
}

/** Scores an image with a model regardless of image quality (evaluation uses this; triage adds the quality gate). */
export async function scoreImage(image: DecodedImage, model: ImageModel): Promise<ModelScore> {
  const { input } = model.manifest;
  const view = await toModelView(image, input);
  const tensor = new Float32Array(inputTensorLength(input));
  writeInputTensor(view.pixels, input, tensor, 0);
  const [logits] = await model.run(tensor, 1);
  return toModelScore(logits!, model.manifest);
}

/** Quality gate, then calibrated score and priority: urgent at or above the manifest threshold, routine below. */
export async function triageImage(image: DecodedImage, model: ImageModel): Promise<TriageResult> {
  const started = performance.now();
  const { manifest } = model;
  const quality = assessImageQuality(image, minSideFor(manifest));
  const facts = { modelId: manifest.id, modelVersion: manifest.version, threshold: manifest.threshold, quality };
  if (!quality.ok) {
    return { ...facts, priority: 'unreadable', probabilities: null, score: null, label: null, elapsedMs: performance.now() - started };
  }
  const result = await scoreImage(image, model);
  const priority = result.score >= manifest.threshold ? 'urgent' : 'routine';
  return { ...facts, priority, ...result, elapsedMs: performance.now() - started };
}
