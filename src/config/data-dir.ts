import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** The data folder holds patient data (database, WAL, images): owner-only, folders 0700 and files 0600. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes the data folder owner-only: from now on everything this process creates is (umask 077, which also covers
 * files PGlite and its WAL write through node's fs), and an existing folder from before is tightened, every folder
 * to 0700 and every file to 0600. Symbolic links are left alone (never followed out of the folder).
 */
export function secureDataDir(dataDir: string): void {
  // Worker threads cannot change the process umask; the main thread sets it before any of them starts.
  if (isMainThread) process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const pending = [path.resolve(dataDir)];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    tighten(dir, PRIVATE_DIR_MODE);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile()) tighten(full, PRIVATE_FILE_MODE);
    }
  }
}

function tighten(file: string, mode: number): void {
  const stats = lstatSync(file);
  if (!stats.isSymbolicLink() && (stats.mode & 0o777) !== mode) chmodSync(file, mode);
}
