import type { DecodedImage } from './image.ts';

export type QualityIssueCode = 'too_small' | 'constant' | 'near_constant';

export interface QualityIssue {
  code: QualityIssueCode;
  message: string;
}

export interface QualityReport {
  ok: boolean;
  issues: QualityIssue[];
  /** Grey-level statistics (0..255) the checks used. */
  stats: { mean: number; std: number; p1: number; p99: number };
}

/**
 * Thresholds in grey levels. Real radiographs are far above them: on PneumoniaMNIST train+val the lowest
 * per-image standard deviation is about 6 levels and the lowest 1st–99th percentile spread about 30 levels.
 */
const maxConstantStd = 0.5;
const maxNearConstantStd = 3;
const maxNearConstantSpread = 12;

/** Checks that an image is worth scoring: large enough and not blank, constant or nearly so. */
export function assessImageQuality(image: DecodedImage, minSide: number): QualityReport {
  const { pixels } = image;
  const histogram = new Uint32Array(256);
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    histogram[pixels[i]!]!++;
    sum += pixels[i]!;
  }
  const n = Math.max(1, pixels.length);
  const mean = sum / n;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += histogram[v]! * (v - mean) ** 2;
  const std = Math.sqrt(squares / n);
  const p1 = percentile(histogram, n, 0.01);
  const p99 = percentile(histogram, n, 0.99);

  const issues: QualityIssue[] = [];
  if (Math.min(image.width, image.height) < minSide) {
    issues.push({ code: 'too_small', message: `${image.width}×${image.height} is smaller than ${minSide} px on its shorter side` });
  }
  if (std <= maxConstantStd) {
    issues.push({ code: 'constant', message: `blank or constant image (grey level ${mean.toFixed(0)} throughout)` });
  } else if (std < maxNearConstantStd || p99 - p1 < maxNearConstantSpread) {
    issues.push({ code: 'near_constant', message: `almost no contrast (std ${std.toFixed(1)}, 1st–99th percentile ${p1}–${p99})` });
  }
  return { ok: issues.length === 0, issues, stats: { mean, std, p1, p99 } };
}

function percentile(histogram: Uint32Array, n: number, q: number): number {
  const rank = q * (n - 1);
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen > rank) return v;
  }
  return 255;
}
