import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { valPngs } from './test-support/shared-images.ts';
import { imageStore, ImageStorePathError } from './image-store.ts';

const dirs: string[] = [];
const tempDataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clinote-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('image store', () => {
  it('stores files by SHA-256 under images/<two hex digits>/ and writes each content once', async () => {
    const dataDir = tempDataDir();
    const store = imageStore(dataDir);
    const bytes = valPngs('normal', 1)[0]!.bytes;
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    const first = await store.putOriginal(bytes);
    expect(first).toEqual({ sha256, path: `images/${sha256.slice(0, 2)}/${sha256}` });
    expect(readFileSync(path.join(dataDir, first.path)).equals(bytes)).toBe(true);
    expect(await store.putOriginal(new Uint8Array(bytes))).toEqual(first);

    const thumb = await store.putDerived(sha256, 'thumbnail', new Uint8Array([1, 2, 3]));
    expect(thumb).toBe(`images/${sha256.slice(0, 2)}/${sha256}.thumbnail.png`);
    // Content addressing: a second write of the same name keeps the first file.
    await store.putDerived(sha256, 'thumbnail', new Uint8Array([9]));
    expect([...(await store.read(thumb))!]).toEqual([1, 2, 3]);
    expect(await store.putDerived(sha256, 'heatmap.cxr-pneumonia@1.0.0', new Uint8Array([4]))).toMatch(/\.heatmap\.cxr-pneumonia@1\.0\.0\.png$/);
    // No temporary files are left behind.
    expect(readdirSync(path.join(dataDir, 'images', sha256.slice(0, 2))).sort()).toEqual(
      [sha256, `${sha256}.heatmap.cxr-pneumonia@1.0.0.png`, `${sha256}.thumbnail.png`].sort(),
    );
  });

  it('reads back stored files, answers undefined for a missing one and refuses paths it did not hand out', async () => {
    const store = imageStore(tempDataDir());
    const { path: stored } = await store.putOriginal(new Uint8Array([7, 7, 7]));
    expect([...(await store.read(stored))!]).toEqual([7, 7, 7]);
    expect(await store.read(`images/00/${'0'.repeat(64)}`)).toBeUndefined();
    for (const bad of ['../etc/passwd', `images/00/../../${'0'.repeat(64)}`, '/etc/passwd', `images/0/${'0'.repeat(64)}`, 'images/00/abc']) {
      await expect(store.read(bad), bad).rejects.toBeInstanceOf(ImageStorePathError);
    }
    await expect(store.putDerived('../x', 'thumbnail', new Uint8Array(1))).rejects.toBeInstanceOf(ImageStorePathError);
    await expect(store.putDerived('0'.repeat(64), '../../x', new Uint8Array(1))).rejects.toBeInstanceOf(ImageStorePathError);
  });
});
