// @ts-check
/**
 * Small inline SVG trend charts (no library): a line over time per value of a reading (one for a lab result, two
 * for a blood pressure), a dot per value, the last reading drawn larger. The value axis is labelled with its
 * lowest and highest value and the time axis with the first and last dates, so a 1.6 → 1.7 change reads as
 * small; the reference range, when known, is a shaded band included in the scale.
 */
import { svg } from './dom.js';

/** @typedef {{ at: string, values: number[], abnormal?: boolean }} TrendPoint one reading; `values` share one scale */

/** @param {string} iso */
const shortDate = (iso) => new Date(iso).toLocaleDateString(undefined, { year: '2-digit', month: 'short', day: 'numeric' });

/** @param {number} v */
const tick = (v) => String(Math.round(v * 100) / 100);

/**
 * @param {TrendPoint[]} points oldest first, each with at least one value
 * @param {{ label: string, unit: string | null, range?: { low?: number, high?: number } | null, width?: number, height?: number }} options
 * @returns {SVGElement}
 */
export function trendChart(points, { label, unit, range = null, width = 220, height = 64 }) {
  const pad = { left: 34, right: 6, top: 6, bottom: 16 };
  const times = points.map((p) => new Date(p.at).getTime());
  const all = points.flatMap((p) => p.values);
  const [tMin, tMax] = [Math.min(...times), Math.max(...times)];
  const [dataMin, dataMax] = [Math.min(...all), Math.max(...all)];
  // The scale holds the readings and the reference range, so a change inside the normal range looks small.
  let [vMin, vMax] = [Math.min(dataMin, range?.low ?? dataMin), Math.max(dataMax, range?.high ?? dataMax)];
  if (vMin === vMax) [vMin, vMax] = [vMin - 1, vMax + 1];
  const plotRight = width - pad.right;
  const plotBottom = height - pad.bottom;
  const x = (/** @type {number} */ t) => (tMax === tMin ? (pad.left + plotRight) / 2 : pad.left + ((t - tMin) / (tMax - tMin)) * (plotRight - pad.left));
  const y = (/** @type {number} */ v) => pad.top + (1 - (v - vMin) / (vMax - vMin)) * (plotBottom - pad.top);
  /** Where value `v` of reading `i` sits. */
  const spot = (/** @type {number} */ i, /** @type {number} */ v) => ({ cx: x(/** @type {number} */ (times[i])).toFixed(1), cy: y(v).toFixed(1) });
  const lineCount = Math.max(...points.map((p) => p.values.length));
  const lines = Array.from({ length: lineCount }, (_, k) => points.flatMap((p, i) => (p.values[k] === undefined ? [] : [spot(i, p.values[k])])));
  const description = points.map((p) => `${p.values.join('/')}${unit ? ` ${unit}` : ''} on ${shortDate(p.at)}${p.abnormal ? ' (abnormal)' : ''}`).join(', ');
  const band =
    range && (range.low !== undefined || range.high !== undefined)
      ? svg('rect', {
          class: 'trend-range',
          x: pad.left,
          width: plotRight - pad.left,
          y: y(range.high ?? vMax).toFixed(1),
          height: Math.max(1, y(range.low ?? vMin) - y(range.high ?? vMax)).toFixed(1),
        })
      : null;
  const text = (/** @type {Record<string, unknown>} */ attrs, /** @type {string} */ content) => svg('text', { class: 'trend-label', ...attrs }, content);
  // The highest and lowest values label their own heights, pushed apart when they would overlap.
  const gap = 9;
  let [maxLabelY, minLabelY] = [y(dataMax) + 3, y(dataMin) + 3];
  if (minLabelY - maxLabelY < gap) {
    const middle = (maxLabelY + minLabelY) / 2;
    [maxLabelY, minLabelY] = [Math.max(pad.top + 3, middle - gap / 2), Math.min(plotBottom + 3, middle + gap / 2)];
    if (minLabelY - maxLabelY < gap) [maxLabelY, minLabelY] = [minLabelY - gap, minLabelY];
  }
  return svg(
    'svg',
    { class: 'trend', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${label}: ${description}` },
    svg('title', {}, `${label}: ${description}`),
    band,
    svg('line', { class: 'trend-axis', x1: pad.left, x2: pad.left, y1: pad.top, y2: plotBottom }),
    svg('line', { class: 'trend-axis', x1: pad.left, x2: plotRight, y1: plotBottom, y2: plotBottom }),
    text({ x: pad.left - 3, y: maxLabelY, 'text-anchor': 'end' }, tick(dataMax)),
    dataMin !== dataMax ? text({ x: pad.left - 3, y: minLabelY, 'text-anchor': 'end' }, tick(dataMin)) : null,
    text({ x: pad.left, y: height - 3, 'text-anchor': 'start' }, shortDate(/** @type {TrendPoint} */ (points[0]).at)),
    points.length > 1 ? text({ x: plotRight, y: height - 3, 'text-anchor': 'end' }, shortDate(/** @type {TrendPoint} */ (points[points.length - 1]).at)) : null,
    lines.filter((line) => line.length > 1).map((line) => svg('polyline', { points: line.map((s) => `${s.cx},${s.cy}`).join(' '), class: 'trend-line' })),
    points.map((p, i) => p.values.map((v) => svg('circle', { ...spot(i, v), r: i === points.length - 1 ? 3.5 : 2.5, class: `trend-dot ${p.abnormal ? 'abnormal' : ''}` }))),
  );
}
