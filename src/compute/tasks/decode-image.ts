import { decodeImage } from '../../imaging/decode.ts';
import { ImageIntakeError, intakeErrorData, type ImageIntakeErrorData } from '../../imaging/errors.ts';
import type { DecodedImage } from '../../imaging/image.ts';
import type { DecodeLimits } from '../../imaging/raster.ts';

export interface DecodeImageInput {
  readonly bytes: Uint8Array;
  readonly limits: DecodeLimits;
}

/** The decoded image, or why the file was refused (as data: error classes do not cross threads). */
export type DecodeImageOutput = { readonly image: DecodedImage } | { readonly refused: ImageIntakeErrorData };

/**
 * Image intake's CPU work (inflating deflated DICOM, windowing, sharp's decode) off the request thread, within the
 * caller's bounds: a hostile upload costs a pool thread at most the capped work, never the server's event loop.
 */
export async function decodeImageTask(input: DecodeImageInput): Promise<DecodeImageOutput> {
  try {
    return { image: await decodeImage(input.bytes, input.limits) };
  } catch (error) {
    if (error instanceof ImageIntakeError) return { refused: intakeErrorData(error) };
    throw error;
  }
}
