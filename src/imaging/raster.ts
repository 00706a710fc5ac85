import sharp from 'sharp';
import { CorruptImageError, ImageTooLargeError, TruncatedImageError } from './errors.ts';

export interface DecodeLimits {
  /** Largest accepted file. */
  maxBytes: number;
  /** Largest accepted width × height, checked from the header before any pixels are decoded. */
  maxPixels: number;
  /** Largest decompressed content (a deflated DICOM data set): inflation stops at this many bytes. */
  maxDecodedBytes: number;
}

/**
 * 64 MiB covers uncompressed 16-bit radiographs (about 5600 × 5600 × 2 bytes). 32 megapixels covers the largest
 * detectors (mammography 4096 × 5625 is 23 MP) and, with the inflation cap, bounds what one upload can make us allocate.
 */
export const defaultDecodeLimits: DecodeLimits = { maxBytes: 64 * 1024 * 1024, maxPixels: 32_000_000, maxDecodedBytes: 64 * 1024 * 1024 };

export function checkPixelLimit(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixels) throw new ImageTooLargeError('pixels', width * height, limits.maxPixels);
}

const truncationMessages = /end of stream|premature end|truncat|unexpected end|not enough data|end of file/i;

/** PNG or JPEG bytes (also a JPEG frame inside a DICOM file) to greyscale display pixels via sharp. */
export async function decodeRasterToGrey(
  bytes: Uint8Array,
  limits: DecodeLimits,
): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  let header: sharp.Metadata;
  try {
    // Header only (no pixels decoded), so the limit is ours to check below with the real dimensions.
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw classifySharpError(error);
  }
  if (!header.width || !header.height) throw new CorruptImageError('Image header has no dimensions');
  checkPixelLimit(header.width, header.height, limits);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning' })
      .rotate() // honour EXIF orientation (photographed films)
      .flatten({ background: '#000000' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new CorruptImageError(`Expected one grey channel, decoded ${info.channels}`);
    return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw classifySharpError(error);
  }
}

function classifySharpError(error: unknown): Error {
  if (error instanceof CorruptImageError || error instanceof ImageTooLargeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (truncationMessages.test(message)) return new TruncatedImageError(`Image data ends early (${message})`);
  return new CorruptImageError(`Image cannot be decoded (${message})`);
}
