import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage } from '../../src/imaging/decode.ts';
import { renderHeatmap } from '../../src/imaging/heatmap.ts';
import type { DecodedImage } from '../../src/imaging/image.ts';
import { assessImageQuality } from '../../src/imaging/quality.ts';
import type { ImageModel } from '../../src/imaging/registry.ts';
import { minSideFor, scoreImage } from '../../src/imaging/triage.ts';
import { auroc, operatingPoint, rocCurve, type OperatingPoint, type RocPoint } from './metrics.ts';

/** The ImageFolder does not fit the model (a class folder that is not one of its labels). */
export class ImageFolderError extends Error {
  override readonly name = 'ImageFolderError';
}

export interface LabelledImage {
  file: string;
  label: string;
  positive: boolean;
}

/**
 * `root/<split>/<label>/*.{png,jpg,jpeg,dcm}` where every label folder is one of the model's labels;
 * folders of positive labels are the positives. Files in name order, for reproducible runs.
 * Throws ImageFolderError unless there are both positive and negative images (AUROC needs both).
 */
export function listImageFolder(root: string, split: string, model: ImageModel): LabelledImage[] {
  const splitDir = path.join(root, split);
  const { labels, positiveLabels } = model.manifest;
  const images: LabelledImage[] = [];
  for (const entry of readdirSync(splitDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    if (!labels.includes(entry.name)) {
      throw new ImageFolderError(`${path.join(splitDir, entry.name)}: folder is not a label of ${model.manifest.id} (${labels.join(', ')})`);
    }
    const files = readdirSync(path.join(splitDir, entry.name))
      .filter((f) => /\.(png|jpe?g|dcm)$/i.test(f))
      .sort();
    for (const f of files) {
      images.push({ file: path.join(splitDir, entry.name, f), label: entry.name, positive: positiveLabels.includes(entry.name) });
    }
  }
  // Checked before scoring so a wrong folder fails at once and names the folder, not deep in the metrics.
  const positives = images.filter((img) => img.positive).length;
  if (positives === 0 || positives === images.length) {
    throw new ImageFolderError(
      `${splitDir}: needs images of both positive (${positiveLabels.join(', ')}) and negative labels; found ${positives} positive and ${images.length - positives} negative`,
    );
  }
  return images;
}

export interface TriageEvaluation {
  modelId: string;
  modelVersion: string;
  split: string;
  n: number;
  positives: number;
  auroc: number;
  operatingPoint: OperatingPoint;
  roc: RocPoint[];
  /** Images the quality gate would mark unreadable (still scored here, so the metrics cover all n). */
  unreadable: number;
  /** Preprocessing plus inference, per image, sequential on the model's session. */
  msPerImage: number;
  decodeMsPerImage: number;
  /** Mean occlusion-heatmap render time over the first few images. */
  heatmapMs: number;
}

const heatmapSamples = 5;

/** Scores every image of an ImageFolder split and measures ranking, the manifest's operating point and speed. */
export async function evaluateTriage(
  root: string,
  split: string,
  model: ImageModel,
  onImage: (done: number, total: number) => void = () => {},
): Promise<TriageEvaluation> {
  const images = listImageFolder(root, split, model);
  const scores: number[] = [];
  const decoded: DecodedImage[] = [];
  let decodeMs = 0;
  let scoreMs = 0;
  let unreadable = 0;
  for (const [i, item] of images.entries()) {
    const bytes = await readFile(item.file);
    let started = performance.now();
    const image = await decodeImage(bytes);
    decodeMs += performance.now() - started;
    started = performance.now();
    const { score } = await scoreImage(image, model);
    scoreMs += performance.now() - started;
    scores.push(score);
    if (!assessImageQuality(image, minSideFor(model.manifest)).ok) unreadable++;
    if (decoded.length < heatmapSamples) decoded.push(image);
    onImage(i + 1, images.length);
  }
  const positives = images.map((img) => img.positive);

  const started = performance.now();
  for (const image of decoded) await renderHeatmap(image, model);
  const heatmapMs = (performance.now() - started) / Math.max(1, decoded.length);

  return {
    modelId: model.manifest.id,
    modelVersion: model.manifest.version,
    split,
    n: images.length,
    positives: positives.filter(Boolean).length,
    auroc: auroc(scores, positives),
    operatingPoint: operatingPoint(scores, positives, model.manifest.threshold),
    roc: rocCurve(scores, positives),
    unreadable,
    msPerImage: scoreMs / images.length,
    decodeMsPerImage: decodeMs / images.length,
    heatmapMs,
  };
}
