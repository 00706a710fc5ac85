import sharp from 'sharp';
import type { OperatingPoint, RocPoint } from './metrics.ts';

export interface RocChartInput {
  title: string;
  curve: readonly RocPoint[];
  auroc: number;
  operatingPoint: OperatingPoint;
}

const margin = { left: 64, right: 24, top: 48, bottom: 60 };
const plot = 432;
const width = margin.left + plot + margin.right;
const height = margin.top + plot + margin.bottom;

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The ROC curve as an SVG document: axes, chance diagonal, curve and the operating point. */
export function rocChartSvg({ title, curve, auroc, operatingPoint }: RocChartInput): string {
  const x = (fpr: number) => margin.left + fpr * plot;
  const y = (tpr: number) => margin.top + (1 - tpr) * plot;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(1)}" stroke="#e3e3e3"/>` +
        `<line x1="${x(0)}" y1="${y(t)}" x2="${x(1)}" y2="${y(t)}" stroke="#e3e3e3"/>` +
        `<text x="${x(t)}" y="${y(0) + 18}" text-anchor="middle">${t.toFixed(1)}</text>` +
        `<text x="${x(0) - 8}" y="${y(t) + 4}" text-anchor="end">${t.toFixed(1)}</text>`,
    )
    .join('');
  const path = curve.map((p) => `${x(p.fpr).toFixed(2)},${y(p.tpr).toFixed(2)}`).join(' ');
  const op = { fpr: 1 - operatingPoint.specificity, tpr: operatingPoint.sensitivity };
  const opLabel = `threshold ${operatingPoint.threshold.toFixed(4)}`;
  const opRates = `sensitivity ${operatingPoint.sensitivity.toFixed(3)}, specificity ${operatingPoint.specificity.toFixed(3)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>
${grid}
<rect x="${x(0)}" y="${y(1)}" width="${plot}" height="${plot}" fill="none" stroke="#555"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="5,4"/>
<polyline points="${path}" fill="none" stroke="#1f5fbf" stroke-width="2.5"/>
<circle cx="${x(op.fpr)}" cy="${y(op.tpr)}" r="5" fill="#d62728"/>
<text x="${x(0.4)}" y="${y(0.24)}" font-size="13">AUROC ${auroc.toFixed(4)}</text>
<text x="${x(0.4)}" y="${y(0.24) + 20}" fill="#d62728">● operating point: ${escapeXml(opLabel)}</text>
<text x="${x(0.4)}" y="${y(0.24) + 38}" fill="#d62728">${escapeXml(opRates)}</text>
<text x="${x(0.5)}" y="${height - 16}" text-anchor="middle">1 − specificity (false-positive rate)</text>
<text transform="translate(18 ${y(0.5)}) rotate(-90)" text-anchor="middle">sensitivity (true-positive rate)</text>
</svg>`;
}

/** The ROC chart rendered to PNG (SVG rasterised by sharp). */
export async function renderRocChartPng(input: RocChartInput): Promise<Buffer> {
  return sharp(Buffer.from(rocChartSvg(input))).png().toBuffer();
}
