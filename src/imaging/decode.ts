import { decodeDicom } from './dicom.ts';
import { ImageTooLargeError, UnsupportedImageTypeError } from './errors.ts';
import type { DecodedImage } from './image.ts';
import { decodeRasterToGrey, defaultDecodeLimits, type DecodeLimits } from './raster.ts';
import { sniffImageType } from './sniff.ts';

/** Decodes a PNG, JPEG or DICOM Part 10 file, chosen by content sniffing, to 8-bit greyscale. */
export async function decodeImage(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): Promise<DecodedImage> {
  const effective: DecodeLimits = { ...defaultDecodeLimits, ...limits };
  if (bytes.length > effective.maxBytes) throw new ImageTooLargeError('bytes', bytes.length, effective.maxBytes);
  const type = sniffImageType(bytes);
  if (type === null) throw new UnsupportedImageTypeError();
  if (type === 'dicom') return decodeDicom(bytes, effective);
  const pixels = await decodeRasterToGrey(bytes, effective);
  return { format: type, ...pixels, dicom: null };
}
