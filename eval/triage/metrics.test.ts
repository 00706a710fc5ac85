import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { auroc, operatingPoint, rocCurve } from './metrics.ts';
import { renderRocChartPng, rocChartSvg } from './roc-chart.ts';

const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
const positives = [true, true, false, true, false, true, false, false];

describe('triage metrics', () => {
  it('computes AUROC as the fraction of correctly ordered positive/negative pairs, ties counting half', () => {
    // 16 pairs; misordered: (0.6 vs 0.7), (0.4 vs 0.7), (0.4 vs 0.55) → 13/16.
    expect(auroc(scores, positives)).toBeCloseTo(13 / 16, 12);
    expect(auroc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(() => auroc([0.1, 0.2], [true, true])).toThrow(/both classes/);
  });

  it('traces the ROC curve from (0,0) to (1,1) with a trapezoid area equal to AUROC', () => {
    const curve = rocCurve(scores, positives);
    expect(curve[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(curve.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    const area = curve.slice(1).reduce((sum, p, i) => sum + ((p.fpr - curve[i]!.fpr) * (p.tpr + curve[i]!.tpr)) / 2, 0);
    expect(area).toBeCloseTo(auroc(scores, positives), 12);
  });

  it('counts an image at exactly the threshold as positive', () => {
    expect(operatingPoint(scores, positives, 0.6)).toMatchObject({
      truePositives: 3,
      falsePositives: 1,
      trueNegatives: 3,
      falseNegatives: 1,
      sensitivity: 0.75,
      specificity: 0.75,
    });
  });

  it('renders the ROC chart to a PNG', async () => {
    const input = { title: 'test <model>', curve: rocCurve(scores, positives), auroc: 0.8125, operatingPoint: operatingPoint(scores, positives, 0.6) };
    expect(rocChartSvg(input)).toContain('test &lt;model&gt;');
    const meta = await sharp(await renderRocChartPng(input)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 520, 540]);
  });
});
