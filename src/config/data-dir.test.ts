import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureDataDir } from './data-dir.ts';

const mode = (file: string) => statSync(file).mode & 0o777;
const originalUmask = process.umask();
let root: string;

afterEach(() => {
  process.umask(originalUmask);
  rmSync(root, { recursive: true, force: true });
});

describe('secureDataDir', () => {
  it('tightens an existing world-readable folder to 0700 folders and 0600 files, leaving symlinked targets alone', () => {
    root = mkdtempSync(path.join(tmpdir(), 'clinote-modes-'));
    const dataDir = path.join(root, 'data');
    mkdirSync(path.join(dataDir, 'pgdata', 'pg_wal'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'pgdata', 'pg_wal', '000000010000000000000001'), 'wal', { mode: 0o644 });
    writeFileSync(path.join(dataDir, 'key.txt'), 'x', { mode: 0o666 });
    const outside = path.join(root, 'outside.txt');
    writeFileSync(outside, 'not ours', { mode: 0o644 });
    symlinkSync(outside, path.join(dataDir, 'link'));

    secureDataDir(dataDir);

    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'pgdata'))).toBe(0o700);
    expect(mode(path.join(dataDir, 'pgdata', 'pg_wal'))).toBe(0o700);
    expect(mode(path.join(dataDir, 'pgdata', 'pg_wal', '000000010000000000000001'))).toBe(0o600);
    expect(mode(path.join(dataDir, 'key.txt'))).toBe(0o600);
    expect(mode(outside)).toBe(0o644);
  });

  it('makes what the process creates afterwards owner-only, whatever the umask was', () => {
    root = mkdtempSync(path.join(tmpdir(), 'clinote-modes-'));
    const dataDir = path.join(root, 'fresh', 'data');
    process.umask(0o022);
    secureDataDir(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    mkdirSync(path.join(dataDir, 'images', 'ab'), { recursive: true });
    writeFileSync(path.join(dataDir, 'images', 'ab', 'file'), 'x');
    expect(mode(path.join(dataDir, 'images'))).toBe(0o700);
    expect(mode(path.join(dataDir, 'images', 'ab', 'file'))).toBe(0o600);
  });
});
