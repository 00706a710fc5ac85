import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDir } from '../../config/paths.ts';

/** The shared PneumoniaMNIST ImageFolder (train/val only; the test split is held back). */
export function pneumoniaMnistDir(): string {
  return path.join(sharedDataDir(), 'imaging', 'pneumoniamnist');
}

/** The first `count` PNG files (name order) of a class folder in the val split, as bytes. */
export function valPngs(label: 'normal' | 'pneumonia', count: number): { file: string; bytes: Buffer }[] {
  const dir = path.join(pneumoniaMnistDir(), 'val', label);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(0, count)
    .map((f) => ({ file: path.join(dir, f), bytes: readFileSync(path.join(dir, f)) }));
}
