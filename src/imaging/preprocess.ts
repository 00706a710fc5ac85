import sharp from 'sharp';
import type { DecodedImage } from './image.ts';
import type { ImageModelManifest } from './manifest.ts';

type ModelInput = ImageModelManifest['input'];

/** The greyscale image at the model's input size: exactly what the model sees (and what heatmaps are drawn on). */
export interface ModelView {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Resizes (centre-crop or stretch, per manifest) to the model's input size; a no-op when the sizes already match. */
export async function toModelView(image: DecodedImage, input: ModelInput): Promise<ModelView> {
  if (image.width === input.width && image.height === input.height) {
    return { width: image.width, height: image.height, pixels: image.pixels };
  }
  const { data, info } = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(input.width, input.height, { fit: input.resize === 'center-crop' ? 'cover' : 'fill', position: 'centre' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== input.width || info.height !== input.height || info.channels !== 1) {
    throw new Error(`Resize produced ${info.width}×${info.height}×${info.channels}, expected ${input.width}×${input.height}×1`);
  }
  return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export function inputTensorLength(input: ModelInput): number {
  return input.width * input.height * input.channels;
}

/**
 * Writes one normalised input (grey replicated to every channel) into `target` at `offset`, in the manifest's layout.
 * `pixels` must be at the model's input size.
 */
export function writeInputTensor(pixels: Uint8Array, input: ModelInput, target: Float32Array, offset: number): void {
  const { width, height, channels, layout, normalisation } = input;
  const plane = width * height;
  for (let c = 0; c < channels; c++) {
    const mean = normalisation.mean[c]!;
    const std = normalisation.std[c]!;
    for (let i = 0; i < plane; i++) {
      const value = (pixels[i]! * normalisation.scale - mean) / std;
      target[offset + (layout === 'NCHW' ? c * plane + i : i * channels + c)] = value;
    }
  }
}
