import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { modelLocations } from '../../config/paths.ts';
import { decodeImage } from '../../imaging/decode.ts';
import { ImageTooLargeError, UnsupportedTransferSyntaxError } from '../../imaging/errors.ts';
import { deflateBombDicom, pngBomb } from '../../imaging/test-support/bombs.ts';
import { buildTestDicom } from '../../imaging/test-support/dicom-writer.ts';
import { valPngs } from '../../imaging/test-support/shared-images.ts';
import { decodeImageOffThread } from '../../imaging/jobs.ts';
import { createComputePool } from '../pool.ts';

describe('image decoding on the compute pool', () => {
  const compute = createComputePool({ threads: 1, preload: false, models: modelLocations() });
  const runtime = { compute, config: loadConfig({}) };
  afterAll(() => compute.close());

  it('decodes exactly as on the calling thread', async () => {
    const png = valPngs('pneumonia', 1)[0]!.bytes;
    expect(await decodeImageOffThread(runtime, png, png.length)).toEqual(await decodeImage(png));
  });

  it('refuses deflate and pixel bombs within a CPU second, with the typed error, while the event loop stays free', async () => {
    await decodeImageOffThread(runtime, valPngs('normal', 1)[0]!.bytes, 1e6); // the thread is up
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    for (const [bomb, measure] of [
      [deflateBombDicom(1024 ** 3), 'pixels'],
      [deflateBombDicom(1024 ** 3, { declaredSide: 512 }), 'decompressed bytes'],
      [pngBomb(100_000, 100_000), 'pixels'],
      [buildTestDicom({ rows: 65_535, columns: 65_535, bitsAllocated: 8, pixels: new Uint8Array(16) }), 'pixels'],
    ] as const) {
      // CPU time of the whole process (the pool thread included), not wall time, which on a shared machine measures the neighbours.
      const cpu = process.cpuUsage();
      const error = await decodeImageOffThread(runtime, bomb, 20 * 1024 * 1024).catch((e: unknown) => e);
      const used = process.cpuUsage(cpu);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
      expect(error).toBeInstanceOf(ImageTooLargeError);
      expect(error).toMatchObject({ measure });
    }
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(100);
    const jpeg2000 = buildTestDicom({ rows: 1, columns: 1, bitsAllocated: 8, pixels: new Uint8Array(2), transferSyntaxUid: '1.2.840.10008.1.2.4.90' });
    await expect(decodeImageOffThread(runtime, jpeg2000, 1e6)).rejects.toMatchObject({ constructor: UnsupportedTransferSyntaxError, transferSyntaxUid: '1.2.840.10008.1.2.4.90' });
  });
});
