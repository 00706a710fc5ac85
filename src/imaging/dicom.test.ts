import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.ts';
import { applyLinearWindow } from './dicom.ts';
import {
  CorruptImageError,
  ImageTooLargeError,
  TruncatedImageError,
  UnsupportedDicomImageError,
  UnsupportedTransferSyntaxError,
} from './errors.ts';
import {
  buildTestDicom,
  DeflatedExplicitLittleEndian,
  encodeDicomPart10,
  ExplicitBigEndian,
  ImplicitLittleEndian,
  JpegBaseline,
  sequenceValue,
  testUids,
  type TestImageSpec,
} from './test-support/dicom-writer.ts';
import { deflateBombDicom } from './test-support/bombs.ts';
import { valPngs } from './test-support/shared-images.ts';

/** 16-bit, 12 bits stored, MONOCHROME1 with rescale and window: the hard case for display values. */
const monochrome1: TestImageSpec = {
  rows: 2,
  columns: 3,
  bitsAllocated: 16,
  bitsStored: 12,
  photometric: 'MONOCHROME1',
  // Stored values, including one with garbage above bit 12 that must be masked off.
  pixels: Uint16Array.from([0, 256, 512, 1000, 0xf000 | 4095, 700]),
  rescaleSlope: 2,
  rescaleIntercept: -1024,
  window: { center: 1000, width: 2000 },
};

describe('decodeImage: DICOM', () => {
  it('decodes 16-bit MONOCHROME1: masks stored bits, rescales, windows, then inverts', async () => {
    const image = await decodeImage(buildTestDicom(monochrome1));
    expect(image).toMatchObject({ format: 'dicom', width: 3, height: 2 });
    // Modality values 2s − 1024: −1024, −512, 0, 976, 7166, 376. Window [0, 1999] → 0, 0, 0, 125, 255, 48; inverted.
    expect(Array.from(image.pixels)).toEqual([255, 255, 255, 130, 0, 207]);
    expect(image.dicom).toEqual({
      studyInstanceUid: testUids.study,
      seriesInstanceUid: testUids.series,
      sopInstanceUid: testUids.instance,
      modality: 'DX',
      indication: null,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      photometricInterpretation: 'MONOCHROME1',
      bitsAllocated: 16,
      bitsStored: 12,
      frames: 1,
      rescaleSlope: 2,
      rescaleIntercept: -1024,
      window: { center: 1000, width: 2000, source: 'file' },
    });
  });

  it('decodes the same pixels from implicit VR, big-endian and deflated encodings', async () => {
    const reference = await decodeImage(buildTestDicom(monochrome1));
    for (const transferSyntaxUid of [ImplicitLittleEndian, ExplicitBigEndian, DeflatedExplicitLittleEndian]) {
      const image = await decodeImage(buildTestDicom({ ...monochrome1, transferSyntaxUid }));
      expect(Array.from(image.pixels), transferSyntaxUid).toEqual(Array.from(reference.pixels));
      expect(image.dicom?.transferSyntaxUid).toBe(transferSyntaxUid);
    }
  });

  it('uses the pixel range when the file has no window, and sign-extends signed pixels', async () => {
    const signed = Uint16Array.from([-2048, -1, 0, 2047].map((v) => v & 0xfff)); // 12-bit two's complement
    const image = await decodeImage(buildTestDicom({ rows: 1, columns: 4, bitsAllocated: 16, bitsStored: 12, signed: true, pixels: signed }));
    expect(Array.from(image.pixels)).toEqual([0, 127, 128, 255]);
    expect(image.dicom?.window).toEqual({ center: 0, width: 4096, source: 'pixel-range' });
  });

  it('reproduces a real radiograph exactly through 16-bit MONOCHROME1 with rescale and window', async () => {
    const [sample] = valPngs('normal', 1);
    const png = await decodeImage(sample!.bytes);
    // Stored 255 − p, modality 4s − 100; the window [−100, 920] maps it back to 255 − p, and MONOCHROME1 inverts to p.
    const dicom = buildTestDicom({
      rows: 28,
      columns: 28,
      bitsAllocated: 16,
      bitsStored: 12,
      photometric: 'MONOCHROME1',
      pixels: Uint16Array.from(png.pixels, (p) => 255 - p),
      rescaleSlope: 4,
      rescaleIntercept: -100,
      window: { center: 410.5, width: 1021 },
    });
    const image = await decodeImage(dicom);
    expect(Array.from(image.pixels)).toEqual(Array.from(png.pixels));
  });

  it('decodes 8-bit MONOCHROME2 and JPEG baseline pixel data', async () => {
    const [sample] = valPngs('pneumonia', 1);
    const png = await decodeImage(sample!.bytes);
    const eightBit = await decodeImage(buildTestDicom({ rows: 28, columns: 28, bitsAllocated: 8, pixels: png.pixels }));
    // No window in the file: 8-bit data is shown as stored, not stretched.
    expect(Array.from(eightBit.pixels)).toEqual(Array.from(png.pixels));
    expect(eightBit.dicom?.window).toEqual({ center: 128, width: 256, source: 'stored-range' });

    const jpeg = await sharp(sample!.bytes).jpeg({ quality: 90 }).toBuffer();
    const jpegDicom = encodeDicomPart10(
      JpegBaseline,
      [
        { tag: 0x00080060, vr: 'CS', value: 'CR' },
        { tag: 0x00280002, vr: 'US', value: [1] },
        { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
        { tag: 0x00280010, vr: 'US', value: [28] },
        { tag: 0x00280011, vr: 'US', value: [28] },
        { tag: 0x00280100, vr: 'US', value: [8] },
      ],
      { tag: 0x7fe00010, vr: 'OB', fragments: [jpeg] },
    );
    const fromDicom = await decodeImage(jpegDicom);
    const fromJpeg = await decodeImage(jpeg);
    expect(fromDicom).toMatchObject({ width: 28, height: 28, dicom: { modality: 'CR', transferSyntaxUid: JpegBaseline } });
    expect(Array.from(fromDicom.pixels)).toEqual(Array.from(fromJpeg.pixels));
  });

  it('converts 8-bit RGB (interleaved and planar) to grey luminance', async () => {
    const rgb = (planar: 0 | 1, pixels: number[]) =>
      encodeDicomPart10('1.2.840.10008.1.2.1', [
        { tag: 0x00280002, vr: 'US', value: [3] },
        { tag: 0x00280004, vr: 'CS', value: 'RGB' },
        { tag: 0x00280006, vr: 'US', value: [planar] },
        { tag: 0x00280010, vr: 'US', value: [1] },
        { tag: 0x00280011, vr: 'US', value: [2] },
        { tag: 0x00280100, vr: 'US', value: [8] },
        { tag: 0x7fe00010, vr: 'OB', value: Uint8Array.from(pixels) },
      ]);
    // Pure red then pure green: luminance 0.299 × 255 and 0.587 × 255.
    expect(Array.from((await decodeImage(rgb(0, [255, 0, 0, 0, 255, 0]))).pixels)).toEqual([76, 150]);
    expect(Array.from((await decodeImage(rgb(1, [255, 0, 0, 255, 0, 0]))).pixels)).toEqual([76, 150]);
  });

  it('reads the clinical indication from the request attributes, never from the study description', async () => {
    const withElements = (extraElements: TestImageSpec['extraElements'], transferSyntaxUid?: string) =>
      decodeImage(buildTestDicom({ ...monochrome1, extraElements, ...(transferSyntaxUid ? { transferSyntaxUid } : {}) }));
    const reason = (text: string) => ({ tag: 0x00401002, vr: 'LO', value: text });
    const studyDescription = { tag: 0x00081030, vr: 'LO', value: 'CHEST 2 VIEWS' };
    expect((await withElements([reason('Cough and fever, ?pneumonia'), studyDescription])).dicom!.indication).toBe('Cough and fever, ?pneumonia');
    // In the Request Attributes Sequence, whether the VR is explicit or implicit.
    for (const syntax of [undefined, ImplicitLittleEndian]) {
      const requests = { tag: 0x00400275, vr: 'SQ', value: sequenceValue([[reason('Fall, rib pain')]], syntax) };
      expect((await withElements([requests], syntax)).dicom!.indication, syntax ?? 'explicit').toBe('Fall, rib pain');
    }
    expect((await withElements([{ tag: 0x00321030, vr: 'LO', value: 'Dyspnoea' }])).dicom!.indication).toBe('Dyspnoea'); // the retired Reason for Study
    // Control characters from the file become spaces; a study description alone is no indication.
    expect((await withElements([reason('Chest\u0007 pain\r\nsince  today')])).dicom!.indication).toBe('Chest pain since today');
    expect((await withElements([studyDescription, reason('   ')])).dicom!.indication).toBeNull();
  });

  it('rejects truncated files, whether cut in the pixel data or in the header', async () => {
    const dicom = buildTestDicom({ ...monochrome1, rows: 64, columns: 64, pixels: new Uint16Array(64 * 64).fill(300) });
    await expect(decodeImage(dicom.subarray(0, dicom.length - 100))).rejects.toBeInstanceOf(TruncatedImageError);
    await expect(decodeImage(dicom.subarray(0, 200))).rejects.toBeInstanceOf(TruncatedImageError);
  });

  it('rejects unsupported transfer syntaxes, instances without pixels and oversized dimensions', async () => {
    const jpeg2000 = buildTestDicom({ ...monochrome1, transferSyntaxUid: '1.2.840.10008.1.2.4.90' });
    await expect(decodeImage(jpeg2000)).rejects.toMatchObject({
      constructor: UnsupportedTransferSyntaxError,
      transferSyntaxUid: '1.2.840.10008.1.2.4.90',
    });
    const report = encodeDicomPart10('1.2.840.10008.1.2.1', [{ tag: 0x00080060, vr: 'CS', value: 'SR' }]);
    await expect(decodeImage(report)).rejects.toBeInstanceOf(UnsupportedDicomImageError);
    const huge = buildTestDicom({ rows: 60_000, columns: 60_000, bitsAllocated: 8, pixels: new Uint8Array(16) });
    await expect(decodeImage(huge)).rejects.toMatchObject({ constructor: ImageTooLargeError, measure: 'pixels' });
  });

  it('refuses deflate bombs within a CPU second: by the declared size early in the stream, else at the decompressed-size cap', async () => {
    for (const [bomb, measure, limit] of [
      [deflateBombDicom(1024 ** 3), 'pixels', 32_000_000], // declares 32768 × 32768
      [deflateBombDicom(1024 ** 3, { declaredSide: 512 }), 'decompressed bytes', 64 * 1024 * 1024], // a small image with 1 GiB of "frames"
    ] as const) {
      expect(bomb.length).toBeLessThan(1.1 * 1024 * 1024);
      // CPU time, not wall time: on a shared machine the wall clock measures the neighbours (clinote bench bomb times the HTTP answer).
      const cpu = process.cpuUsage();
      const error = await decodeImage(bomb).catch((e: unknown) => e);
      const used = process.cpuUsage(cpu);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
      expect(error).toBeInstanceOf(ImageTooLargeError);
      expect(error).toMatchObject({ measure, limit });
    }
    // The cap is configurable, and a deflated image that fits decodes as before.
    await expect(decodeImage(deflateBombDicom(1_000_000), { maxDecodedBytes: 999_000 })).rejects.toMatchObject({ measure: 'decompressed bytes' });
    const fits = await decodeImage(deflateBombDicom(1_000_000), { maxDecodedBytes: 1_010_000 });
    expect(fits).toMatchObject({ width: 1000, height: 1000 });
    expect(fits.pixels.every((p) => p === 0)).toBe(true);
  });

  it('rejects pixel data shorter than the declared image as corrupt', async () => {
    const short = buildTestDicom({ rows: 10, columns: 10, bitsAllocated: 8, pixels: new Uint8Array(50) });
    await expect(decodeImage(short)).rejects.toBeInstanceOf(CorruptImageError);
  });
});

describe('applyLinearWindow', () => {
  it('follows the DICOM linear VOI function at and around the window edges', () => {
    expect(Array.from(applyLinearWindow([-1, 0, 0.5, 1999, 2000, 999.5], 1000, 2000))).toEqual([0, 0, 0, 255, 255, 128]);
    // Width 1 is a hard threshold at the centre.
    expect(Array.from(applyLinearWindow([9, 9.5, 10], 10, 1))).toEqual([0, 0, 255]);
  });
});
