import sharp from 'sharp';
import type { DecodedImage } from './image.ts';
import { inputTensorLength, toModelView, writeInputTensor, type ModelView } from './preprocess.ts';
import type { ImageModel } from './registry.ts';
import { calibrate, positiveScore } from './triage.ts';

/** Where the model looked: how much hiding each input pixel lowers the triage score (occlusion sensitivity). */
export interface OcclusionMap {
  /** The model's view of the image (model input size), which the map is aligned to. */
  view: ModelView;
  /**
   * Mean drop in the score's log-odds over the occluding patches covering each view pixel (log-odds, unlike
   * probabilities, do not saturate near 0 or 1); negative where hiding the region raises the score.
   */
  values: Float32Array;
  baseScore: number;
  patch: number;
  stride: number;
}

/** Occluded copies scored per model call: bounds memory for large inputs. */
const chunkSize = 32;

/** Slides a grey patch (the image's mean level) over the model view; about 13 × 13 positions whatever the input size. */
export async function occlusionMap(image: DecodedImage, model: ImageModel): Promise<OcclusionMap> {
  const { manifest } = model;
  const { input } = manifest;
  const view = await toModelView(image, input);
  const { width, height, pixels } = view;
  const patch = Math.max(1, Math.round(Math.min(width, height) / 7));
  const stride = Math.max(1, Math.floor(patch / 2));
  const fill = Math.round(pixels.reduce((a, b) => a + b, 0) / pixels.length);
  const positions = patchOrigins(height, patch, stride).flatMap((y) => patchOrigins(width, patch, stride).map((x) => ({ x, y })));

  const perInput = inputTensorLength(input);
  const scoreOf = (logits: Float32Array) => positiveScore(calibrate(logits, manifest), manifest);
  const logOdds = (p: number) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
    return Math.log(q / (1 - q));
  };
  const baseTensor = new Float32Array(perInput);
  writeInputTensor(pixels, input, baseTensor, 0);
  const baseScore = scoreOf((await model.run(baseTensor, 1))[0]!);
  const baseEvidence = logOdds(baseScore);

  const sums = new Float64Array(width * height);
  const counts = new Uint32Array(width * height);
  const occluded = new Uint8Array(pixels.length);
  for (let start = 0; start < positions.length; start += chunkSize) {
    const chunk = positions.slice(start, start + chunkSize);
    const batch = new Float32Array(chunk.length * perInput);
    chunk.forEach(({ x, y }, k) => {
      occluded.set(pixels);
      for (let row = y; row < y + patch; row++) occluded.fill(fill, row * width + x, row * width + x + patch);
      writeInputTensor(occluded, input, batch, k * perInput);
    });
    const outputs = await model.run(batch, chunk.length);
    chunk.forEach(({ x, y }, k) => {
      const drop = baseEvidence - logOdds(scoreOf(outputs[k]!));
      for (let row = y; row < y + patch; row++) {
        for (let col = x; col < x + patch; col++) {
          sums[row * width + col]! += drop;
          counts[row * width + col]!++;
        }
      }
    });
  }
  const values = Float32Array.from(sums, (s, i) => s / Math.max(1, counts[i]!));
  return { view, values, baseScore, patch, stride };
}

/** Patch origins along one axis, the last one flush with the far edge so every pixel is covered. */
function patchOrigins(length: number, patch: number, stride: number): number[] {
  const origins: number[] = [];
  for (let p = 0; p + patch < length; p += stride) origins.push(p);
  origins.push(Math.max(0, length - patch));
  return origins;
}

export interface RenderOptions {
  /** Long side of the rendered PNG in pixels. */
  size?: number;
}

/**
 * The occlusion map as a PNG overlay on the model's view: regions whose occlusion lowers the score are tinted
 * red→yellow with opacity proportional to their effect. Regions that argue against the finding are not tinted.
 */
export async function renderHeatmap(image: DecodedImage, model: ImageModel, options: RenderOptions = {}): Promise<Buffer> {
  const map = await occlusionMap(image, model);
  return renderOcclusionOverlay(map, options);
}

export async function renderOcclusionOverlay(map: OcclusionMap, options: RenderOptions = {}): Promise<Buffer> {
  const { view, values } = map;
  const size = options.size ?? 256;
  const scale = size / Math.max(view.width, view.height);
  const width = Math.max(1, Math.round(view.width * scale));
  const height = Math.max(1, Math.round(view.height * scale));
  const peak = values.reduce((m, v) => Math.max(m, v), 0);
  const heat = Uint8Array.from(values, (v) => (peak > 0 ? Math.round((Math.max(0, v) / peak) * 255) : 0));

  const upscale = (pixels: Uint8Array, kernel: keyof sharp.KernelEnum) =>
    sharp(pixels, { raw: { width: view.width, height: view.height, channels: 1 } })
      .resize(width, height, { fit: 'fill', kernel })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
  const [grey, intensity] = await Promise.all([upscale(view.pixels, 'lanczos3'), upscale(heat, 'linear')]);

  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const h = intensity[i]! / 255;
    const alpha = 0.6 * h;
    const g = grey[i]!;
    // Colour ramp red (weak) → yellow (strong).
    rgb[3 * i] = Math.round((1 - alpha) * g + alpha * 255);
    rgb[3 * i + 1] = Math.round((1 - alpha) * g + alpha * 255 * h);
    rgb[3 * i + 2] = Math.round((1 - alpha) * g);
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}
