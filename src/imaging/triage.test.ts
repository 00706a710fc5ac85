import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.ts';
import type { DecodedImage } from './image.ts';
import { assessImageQuality } from './quality.ts';
import { buildTestDicom } from './test-support/dicom-writer.ts';
import { useBundledModels } from './test-support/bundled-model.ts';
import { valPngs } from './test-support/shared-images.ts';
import { calibrate, scoreImage, triageImage } from './triage.ts';

const bundled = useBundledModels();
const cxrModel = () => bundled.model('cxr-pneumonia');

const image = (width: number, height: number, level: (i: number) => number): DecodedImage => ({
  format: 'png',
  width,
  height,
  pixels: Uint8Array.from({ length: width * height }, (_, i) => level(i)),
  dicom: null,
});

describe('triageImage with the chest X-ray model', () => {
  it('puts most real pneumonia images above the threshold and most normal ones below', async () => {
    const priorities = async (label: 'normal' | 'pneumonia') =>
      Promise.all(valPngs(label, 20).map(async ({ bytes }) => (await triageImage(await decodeImage(bytes), cxrModel())).priority));
    const pneumonia = await priorities('pneumonia');
    const normal = await priorities('normal');
    expect(pneumonia.filter((p) => p === 'urgent').length).toBeGreaterThanOrEqual(17);
    expect(normal.filter((p) => p === 'routine').length).toBeGreaterThanOrEqual(17);
  });

  it('reports calibrated probabilities, the label and the model version', async () => {
    const result = await triageImage(await decodeImage(valPngs('pneumonia', 1)[0]!.bytes), cxrModel());
    if (result.priority === 'unreadable') throw new Error('real radiograph judged unreadable');
    expect(result.probabilities['normal']! + result.probabilities['pneumonia']!).toBeCloseTo(1, 6);
    expect(result.score).toBe(result.probabilities.pneumonia);
    expect(result.label).toBe(result.score >= result.threshold ? 'pneumonia' : 'normal');
    expect(result).toMatchObject({ modelId: 'cxr-pneumonia', modelVersion: cxrModel().manifest.version, quality: { ok: true } });
  });

  it('scores a DICOM radiograph like the PNG it was made from, and a larger image after centre-crop resizing', async () => {
    const png = await decodeImage(valPngs('pneumonia', 2)[1]!.bytes);
    const dicom = await decodeImage(
      buildTestDicom({
        rows: 28,
        columns: 28,
        bitsAllocated: 16,
        bitsStored: 12,
        photometric: 'MONOCHROME1',
        pixels: Uint16Array.from(png.pixels, (p) => (255 - p) * 16),
        rescaleSlope: 1,
        rescaleIntercept: 0,
      }),
    );
    const fromPng = await scoreImage(png, cxrModel());
    const fromDicom = await scoreImage(dicom, bundled.registry().select(dicom));
    expect(fromDicom.score).toBeCloseTo(fromPng.score, 1);
    // The same radiograph upscaled 4× and padded left/right: centre-crop recovers it.
    const wide = image(140, 112, (i) => {
      const x = (i % 140) - 14;
      const y = Math.floor(i / 140);
      return x < 0 || x >= 112 ? 0 : png.pixels[Math.floor(y / 4) * 28 + Math.floor(x / 4)]!;
    });
    expect((await scoreImage(wide, cxrModel())).score).toBeCloseTo(fromPng.score, 1);
  });

  it('marks blank, near-constant and too-small images unreadable without scoring them', async () => {
    const blank = await triageImage(image(64, 64, () => 0), cxrModel());
    expect(blank).toMatchObject({ priority: 'unreadable', score: null, label: null, probabilities: null });
    expect(blank.quality.issues.map((i) => i.code)).toEqual(['constant']);
    const nearConstant = await triageImage(image(64, 64, (i) => 120 + (i % 3)), cxrModel());
    expect(nearConstant.quality.issues.map((i) => i.code)).toEqual(['near_constant']);
    const [real] = valPngs('normal', 1);
    const decoded = await decodeImage(real!.bytes);
    const small = { ...decoded, width: 14, height: 14, pixels: decoded.pixels.subarray(0, 196) };
    expect((await triageImage(small, cxrModel())).quality.issues.map((i) => i.code)).toEqual(['too_small']);
  });

  it('passes every real radiograph in the sample through the quality gate', async () => {
    for (const { bytes } of [...valPngs('normal', 30), ...valPngs('pneumonia', 30)]) {
      expect(assessImageQuality(await decodeImage(bytes), 28).issues).toEqual([]);
    }
  });

  it('infers a 28×28 image in a few milliseconds on one thread', async () => {
    const decoded = await decodeImage(valPngs('normal', 1)[0]!.bytes);
    for (let i = 0; i < 5; i++) await triageImage(decoded, cxrModel()); // warm-up
    const runs = 50;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await triageImage(decoded, cxrModel());
    // Target is ≤ 10 ms; the bound leaves room for a loaded CI machine.
    expect((performance.now() - started) / runs).toBeLessThan(25);
  });
});

describe('calibrate', () => {
  it('applies the temperature before softmax or sigmoid', () => {
    const manifest = { ...cxrModel().manifest, calibration: { method: 'temperature' as const, temperature: 2 } };
    const [p0, p1] = calibrate(Float32Array.from([0, 2]), manifest);
    expect(p1! / p0!).toBeCloseTo(Math.E, 6);
    const sigmoid = { ...manifest, output: { ...manifest.output, activation: 'sigmoid' as const } };
    expect(calibrate(Float32Array.from([0, 2]), sigmoid)[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });
});
