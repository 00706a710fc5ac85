import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.ts';
import { occlusionMap, renderHeatmap } from './heatmap.ts';
import { useBundledModels } from './test-support/bundled-model.ts';
import { valPngs } from './test-support/shared-images.ts';
import { renderThumbnail } from './thumbnail.ts';
import { scoreImage } from './triage.ts';

const bundled = useBundledModels();
const cxrModel = () => bundled.model('cxr-pneumonia');

describe('occlusion heatmap', () => {
  it('maps every input pixel from the unoccluded score, and renders a colour PNG overlay', async () => {
    const image = await decodeImage(valPngs('pneumonia', 3)[2]!.bytes);
    const map = await occlusionMap(image, cxrModel());
    expect(map.values).toHaveLength(28 * 28);
    expect(map).toMatchObject({ patch: 4, stride: 2 });
    expect(map.baseScore).toBeCloseTo((await scoreImage(image, cxrModel())).score, 6);
    expect(map.values.some((v) => v > 0)).toBe(true);

    const png = await renderHeatmap(image, cxrModel());
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([256, 256, 3]);
    // Tinted pixels exist (red above green/blue), untinted ones stay grey.
    let tinted = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i]! > data[i + 2]! + 20) tinted++;
    expect(tinted).toBeGreaterThan(0);
    expect(tinted).toBeLessThan(256 * 256);
  });

  it('renders within 300 ms for a 28×28 image', async () => {
    const image = await decodeImage(valPngs('normal', 1)[0]!.bytes);
    await renderHeatmap(image, cxrModel()); // warm-up
    const started = performance.now();
    const runs = 5;
    for (let i = 0; i < runs; i++) await renderHeatmap(image, cxrModel());
    // Target ≤ 300 ms; the bound leaves room for a loaded CI machine.
    expect((performance.now() - started) / runs).toBeLessThan(600);
  });
});

describe('renderThumbnail', () => {
  it('scales the long side to the requested size, keeping the aspect ratio', async () => {
    const image = await decodeImage(valPngs('normal', 1)[0]!.bytes);
    const square = await sharp(await renderThumbnail(image)).metadata();
    expect([square.format, square.width, square.height]).toEqual(['png', 128, 128]);
    const wide = { ...image, width: 56, height: 14 };
    const meta = await sharp(await renderThumbnail(wide, { size: 64 })).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([64, 16, 1]);
  });
});
