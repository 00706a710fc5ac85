import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../config/data-dir.ts';

/**
 * Image files under `<dataDir>/images/<first two hex digits>/<sha256>`, with derived PNGs (thumbnail,
 * heatmaps) beside the original as `<sha256>.<name>.png`. Content addressing makes writes idempotent: the
 * same bytes land at the same path whoever uploads them. Paths handed out are relative to the data
 * directory (that is what the database stores), so the directory can be moved.
 */
export interface ImageStore {
  /** Stores the original file; returns its SHA-256 (hex) and relative path. */
  putOriginal(bytes: Uint8Array): Promise<{ sha256: string; path: string }>;
  /** Stores a PNG derived from the original with this hash, e.g. `thumbnail` or `heatmap.cxr-pneumonia@1.0.0`. */
  putDerived(sha256: string, name: string, png: Uint8Array): Promise<string>;
  /** The bytes at a relative path this store handed out, or undefined when the file is gone. */
  read(relativePath: string): Promise<Buffer | undefined>;
}

/** Raised for a path that is not one this store hands out (never follow it: it may point outside the store). */
export class ImageStorePathError extends Error {
  override readonly name = 'ImageStorePathError';
}

const SHA256 = /^[0-9a-f]{64}$/;
const DERIVED_NAME = /^[\w.@+-]{1,120}$/;
const STORED_PATH = /^images\/[0-9a-f]{2}\/[0-9a-f]{64}(\.[\w.@+-]{1,120}\.png)?$/;

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function imageStore(dataDir: string): ImageStore {
  const root = path.resolve(dataDir);
  const relativeFor = (sha256: string, suffix = '') => `images/${sha256.slice(0, 2)}/${sha256}${suffix}`;

  async function writeOnce(relative: string, bytes: Uint8Array): Promise<void> {
    const file = path.join(root, relative);
    if (await exists(file)) return;
    await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    // Write then rename, so a reader (or a crash) never sees half a file under the final name.
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, bytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  return {
    async putOriginal(bytes) {
      const sha256 = sha256Hex(bytes);
      const relative = relativeFor(sha256);
      await writeOnce(relative, bytes);
      return { sha256, path: relative };
    },
    async putDerived(sha256, name, png) {
      if (!SHA256.test(sha256)) throw new ImageStorePathError('Not a SHA-256 hex digest');
      if (!DERIVED_NAME.test(name)) throw new ImageStorePathError(`Not a derived file name: ${name}`);
      const relative = relativeFor(sha256, `.${name}.png`);
      await writeOnce(relative, png);
      return relative;
    },
    async read(relative) {
      if (!STORED_PATH.test(relative)) throw new ImageStorePathError('Not a path this image store hands out');
      try {
        return await readFile(path.join(root, relative));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
