import sharp from 'sharp';
import type { DecodedImage } from './image.ts';

/** A greyscale PNG of the whole image scaled so its long side is `size` pixels (default 128), for worklists and viewers. */
export async function renderThumbnail(image: DecodedImage, options: { size?: number } = {}): Promise<Buffer> {
  const size = options.size ?? 128;
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(size, size, { fit: 'inside' })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}
