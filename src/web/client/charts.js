// @ts-check
/** Small inline SVG trend charts (no library): one line over time, a dot per value, the last value labelled. */
import { formatDate, svg } from './dom.js';

/**
 * @param {Array<{ at: string, value: number, flag?: string | null }>} points oldest first
 * @param {{ label: string, unit: string | null, width?: number, height?: number }} options
 * @returns {SVGElement}
 */
export function trendChart(points, { label, unit, width = 180, height = 48 }) {
  const pad = { left: 4, right: 4, top: 6, bottom: 6 };
  const times = points.map((p) => new Date(p.at).getTime());
  const values = points.map((p) => p.value);
  const [tMin, tMax] = [Math.min(...times), Math.max(...times)];
  let [vMin, vMax] = [Math.min(...values), Math.max(...values)];
  if (vMin === vMax) [vMin, vMax] = [vMin - 1, vMax + 1];
  const x = (/** @type {number} */ t) => (tMax === tMin ? width / 2 : pad.left + ((t - tMin) / (tMax - tMin)) * (width - pad.left - pad.right));
  const y = (/** @type {number} */ v) => pad.top + (1 - (v - vMin) / (vMax - vMin)) * (height - pad.top - pad.bottom);
  const coords = points.map((p, i) => [x(/** @type {number} */ (times[i])), y(p.value)]);
  const description = points.map((p) => `${p.value}${unit ? ` ${unit}` : ''} on ${formatDate(p.at, false)}${p.flag && p.flag !== 'N' ? ` (${p.flag})` : ''}`).join(', ');
  return svg(
    'svg',
    { class: 'trend', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${label}: ${description}` },
    svg('title', {}, `${label}: ${description}`),
    coords.length > 1 ? svg('polyline', { points: coords.map(([a, b]) => `${a?.toFixed(1)},${b?.toFixed(1)}`).join(' '), class: 'trend-line' }) : null,
    coords.map(([cx, cy], i) => svg('circle', { cx: cx?.toFixed(1), cy: cy?.toFixed(1), r: i === coords.length - 1 ? 3.5 : 2.5, class: `trend-dot ${points[i]?.flag === 'H' || points[i]?.flag === 'L' || points[i]?.flag === 'A' ? 'abnormal' : ''}` })),
  );
}
