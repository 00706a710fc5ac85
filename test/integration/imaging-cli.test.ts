import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelLocations, projectRoot } from '../../src/config/paths.ts';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';

const cli = path.join(projectRoot, 'scripts', 'clinote.mjs');
const manifest = JSON.parse(readFileSync(path.join(modelLocations().modelsDir, 'cxr-pneumonia', 'manifest.json'), 'utf8'));

/** Runs `clinote ARGS` as the operator would and collects its output and exit code. */
function clinote(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

/** Lines of a stack trace ("    at fn (file:line:col)"): operator errors must not print one. */
const stackTrace = /^\s+at /m;

const scratch = mkdtempSync(path.join(tmpdir(), 'clinote-imaging-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('clinote triage FILE...', () => {
  const [normal] = valPngs('normal', 1);
  const [pneumonia] = valPngs('pneumonia', 1);

  it('prints one JSON result per image, in argument order, and writes a heatmap PNG for each', async () => {
    const heatmapDir = path.join(scratch, 'heatmaps');
    const { code, stdout, stderr } = await clinote('triage', normal!.file, pneumonia!.file, '--heatmap-dir', heatmapDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = jsonLines(stdout);
    expect(results.map((r) => [r.file, r.priority, r.label])).toEqual([
      [normal!.file, 'routine', 'normal'],
      [pneumonia!.file, 'urgent', 'pneumonia'],
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ format: 'png', width: 28, height: 28, modelId: 'cxr-pneumonia', threshold: manifest.threshold });
      expect(result.probabilities.normal + result.probabilities.pneumonia).toBeCloseTo(1, 6);
      expect(result.score).toBe(result.probabilities.pneumonia);
      expect(path.dirname(result.heatmap)).toBe(heatmapDir);
      expect((await sharp(result.heatmap).metadata()).format).toBe('png');
    }
  });

  it('answers an unreadable file with an error line, goes on with the rest and exits non-zero', async () => {
    const missing = path.join(scratch, 'missing.png');
    const { code, stdout, stderr } = await clinote('triage', missing, normal!.file);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(stackTrace);
    const [failure, result] = jsonLines(stdout);
    expect(failure).toMatchObject({ file: missing, error: { code: 'file_unreadable' } });
    expect(result).toMatchObject({ file: normal!.file, priority: 'routine' });
  });
});

describe('clinote eval triage --dir DIR --split S', () => {
  const root = path.join(scratch, 'imagefolder');
  const reportDir = path.join(scratch, 'reports');
  const perClass = 4;

  /** DIR/<split>/<label>/*.png copied from the shared val split. */
  function writeSplit(split: string, labels: ReadonlyArray<'normal' | 'pneumonia'>): void {
    for (const label of labels) {
      const dir = path.join(root, split, label);
      mkdirSync(dir, { recursive: true });
      for (const { file, bytes } of valPngs(label, perClass)) writeFileSync(path.join(dir, path.basename(file)), bytes);
    }
  }

  beforeAll(() => {
    writeSplit('tiny', ['normal', 'pneumonia']);
    writeSplit('normal-only', ['normal']);
  });

  it('prints the metrics as its last line and writes the ROC curve PNG into --report-dir', async () => {
    const { code, stdout } = await clinote('eval', 'triage', '--dir', root, '--split', 'tiny', '--report-dir', reportDir);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!);
    expect(result).toMatchObject({ suite: 'triage', n: 2 * perClass, threshold: manifest.threshold, split: 'tiny', model: `cxr-pneumonia@${manifest.version}` });
    // Four images per class: every rate is a whole number of quarters.
    for (const rate of [result.sensitivity, result.specificity]) {
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
      expect(Number.isInteger(rate * perClass)).toBe(true);
    }
    // The first val images are easy: a model meeting its val targets ranks them almost perfectly.
    expect(result.auroc).toBeGreaterThanOrEqual(0.9);
    expect(result.auroc).toBeLessThanOrEqual(1);
    // Timings are printed and positive; their size depends on the machine, so no bound here.
    expect(result.ms_per_image).toBeGreaterThan(0);
    expect(result.heatmap_ms).toBeGreaterThan(0);

    const rocFile = path.join(reportDir, 'triage-roc-cxr-pneumonia-tiny.png');
    expect(lines.some((line) => line.startsWith('ROC curve:') && path.resolve(projectRoot, line.slice('ROC curve:'.length).trim()) === rocFile)).toBe(true);
    const roc = await sharp(rocFile).metadata();
    expect(roc.format).toBe('png');
    expect(roc.width).toBeGreaterThan(100);
  });

  it('rejects a missing folder with a one-line message and a non-zero exit', async () => {
    const missing = path.join(scratch, 'no-such-folder');
    const { code, stdout, stderr } = await clinote('eval', 'triage', '--dir', missing, '--split', 'val', '--report-dir', reportDir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`clinote: No split folder ${path.join(missing, 'val')}\n`);
  });

  it('rejects a split with only one class (no AUROC possible) before scoring, without a stack trace', async () => {
    const { code, stdout, stderr } = await clinote('eval', 'triage', '--dir', root, '--split', 'normal-only', '--report-dir', reportDir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(stackTrace);
    expect(stderr).toContain(`clinote: ${path.join(root, 'normal-only')}: needs images of both positive (pneumonia) and negative labels`);
    expect(existsSync(path.join(reportDir, 'triage-roc-cxr-pneumonia-normal-only.png'))).toBe(false);
  });
});
