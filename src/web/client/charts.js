// @ts-check
/**
 * Small inline SVG trend charts (no library): a line over time per value of a reading (one for a lab result, two
 * for a blood pressure), a dot per value, the last reading drawn larger.
 */
import { formatDate, svg } from './dom.js';

/** @typedef {{ at: string, values: number[], flag?: string | null }} TrendPoint one reading; `values` share one scale */

/** Lab flags (HL7 interpretation codes) drawn as abnormal. */
const ABNORMAL = new Set(['H', 'L', 'A']);

/**
 * @param {TrendPoint[]} points oldest first, each with at least one value
 * @param {{ label: string, unit: string | null, width?: number, height?: number }} options
 * @returns {SVGElement}
 */
export function trendChart(points, { label, unit, width = 180, height = 48 }) {
  const pad = { left: 4, right: 4, top: 6, bottom: 6 };
  const times = points.map((p) => new Date(p.at).getTime());
  const all = points.flatMap((p) => p.values);
  const [tMin, tMax] = [Math.min(...times), Math.max(...times)];
  let [vMin, vMax] = [Math.min(...all), Math.max(...all)];
  if (vMin === vMax) [vMin, vMax] = [vMin - 1, vMax + 1];
  const x = (/** @type {number} */ t) => (tMax === tMin ? width / 2 : pad.left + ((t - tMin) / (tMax - tMin)) * (width - pad.left - pad.right));
  const y = (/** @type {number} */ v) => pad.top + (1 - (v - vMin) / (vMax - vMin)) * (height - pad.top - pad.bottom);
  /** Where value `v` of reading `i` sits. */
  const spot = (/** @type {number} */ i, /** @type {number} */ v) => ({ cx: x(/** @type {number} */ (times[i])).toFixed(1), cy: y(v).toFixed(1) });
  const lineCount = Math.max(...points.map((p) => p.values.length));
  const lines = Array.from({ length: lineCount }, (_, k) => points.flatMap((p, i) => (p.values[k] === undefined ? [] : [spot(i, p.values[k])])));
  const description = points.map((p) => `${p.values.join('/')}${unit ? ` ${unit}` : ''} on ${formatDate(p.at, false)}${p.flag && p.flag !== 'N' ? ` (${p.flag})` : ''}`).join(', ');
  return svg(
    'svg',
    { class: 'trend', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${label}: ${description}` },
    svg('title', {}, `${label}: ${description}`),
    lines.filter((line) => line.length > 1).map((line) => svg('polyline', { points: line.map((s) => `${s.cx},${s.cy}`).join(' '), class: 'trend-line' })),
    points.map((p, i) => p.values.map((v) => svg('circle', { ...spot(i, v), r: i === points.length - 1 ? 3.5 : 2.5, class: `trend-dot ${p.flag && ABNORMAL.has(p.flag) ? 'abnormal' : ''}` }))),
  );
}
