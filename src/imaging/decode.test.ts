import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.ts';
import { ImageTooLargeError, TruncatedImageError, UnsupportedImageTypeError, CorruptImageError } from './errors.ts';
import { sniffImageType } from './sniff.ts';
import { pngBomb } from './test-support/bombs.ts';
import { buildTestDicom } from './test-support/dicom-writer.ts';
import { valPngs } from './test-support/shared-images.ts';

const [realPng] = valPngs('pneumonia', 1);
const png = realPng!.bytes;

describe('sniffImageType', () => {
  it('recognises PNG, JPEG and DICOM Part 10 by content only', async () => {
    const jpeg = await sharp(png).jpeg().toBuffer();
    const dicom = buildTestDicom({ rows: 2, columns: 2, bitsAllocated: 8, pixels: new Uint8Array(4) });
    expect(sniffImageType(png)).toBe('png');
    expect(sniffImageType(jpeg)).toBe('jpeg');
    expect(sniffImageType(dicom)).toBe('dicom');
    expect(sniffImageType(new TextEncoder().encode('%PDF-1.7 not an image'))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});

describe('decodeImage: PNG and JPEG', () => {
  it('decodes a real PneumoniaMNIST PNG to 28×28 grey pixels, losslessly', async () => {
    const image = await decodeImage(png);
    expect(image).toMatchObject({ format: 'png', width: 28, height: 28, dicom: null });
    const reference = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(Buffer.from(image.pixels).equals(reference)).toBe(true);
  });

  it('decodes JPEG and converts colour to grey', async () => {
    const rgb = await sharp(png).toColourspace('srgb').jpeg({ quality: 95 }).toBuffer();
    const image = await decodeImage(rgb);
    expect(image).toMatchObject({ format: 'jpeg', width: 28, height: 28 });
    const original = await decodeImage(png);
    const meanAbsDiff = image.pixels.reduce((s, v, i) => s + Math.abs(v - original.pixels[i]!), 0) / image.pixels.length;
    expect(meanAbsDiff).toBeLessThan(4);
  });

  it('rejects a truncated PNG and a truncated JPEG as truncated', async () => {
    await expect(decodeImage(png.subarray(0, png.length - 40))).rejects.toBeInstanceOf(TruncatedImageError);
    const jpeg = await sharp(png).resize(256, 256).jpeg().toBuffer();
    await expect(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).rejects.toBeInstanceOf(TruncatedImageError);
  });

  it('rejects a non-image whatever its name or declared type', async () => {
    await expect(decodeImage(new TextEncoder().encode('{"resourceType":"Patient"}'))).rejects.toBeInstanceOf(
      UnsupportedImageTypeError,
    );
    const gif = await sharp(png).gif().toBuffer();
    await expect(decodeImage(gif)).rejects.toBeInstanceOf(UnsupportedImageTypeError);
  });

  it('rejects a PNG with a damaged header as corrupt', async () => {
    const damaged = Buffer.from(png);
    damaged.fill(0, 12, 29); // IHDR chunk
    await expect(decodeImage(damaged)).rejects.toBeInstanceOf(CorruptImageError);
  });

  it('rejects oversized uploads by byte count and by declared dimensions before decoding', async () => {
    await expect(decodeImage(png, { maxBytes: 100 })).rejects.toMatchObject({ code: 'image_too_large', measure: 'bytes' });
    const bomb = pngBomb(100_000, 100_000);
    const error = await decodeImage(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error).toMatchObject({ measure: 'pixels', actual: 1e10, limit: 32_000_000 });
    await expect(decodeImage(png, { maxPixels: 27 * 28 })).rejects.toBeInstanceOf(ImageTooLargeError);
  });
});
