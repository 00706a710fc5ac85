// @ts-check
/**
 * Note text with highlighted spans. Spans may nest or overlap (a medication and its dose, a problem inside a
 * lab name): the text is cut at every span boundary and each piece is marked with its innermost span's classes
 * and the keys of every span that covers it.
 */
import { h } from './dom.js';

/**
 * @typedef {object} HighlightSpan
 * @property {number} start UTF-16 offset, inclusive
 * @property {number} end UTF-16 offset, exclusive
 * @property {string} key identifies the item the span belongs to (several spans may share one)
 * @property {string[]} classes
 * @property {string} [title] tooltip
 */

/**
 * Renders `text` into `container` and returns the marks of each key.
 * @param {HTMLElement} container
 * @param {string} text
 * @param {HighlightSpan[]} spans
 * @param {{ onSelect?: (key: string) => void }} [options]
 * @returns {Map<string, HTMLElement[]>}
 */
export function renderHighlighted(container, text, spans, options = {}) {
  const valid = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start);
  const cuts = new Set([0, text.length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  /** @type {Map<string, HTMLElement[]>} */
  const marks = new Map();
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const from = /** @type {number} */ (points[i]);
    const to = /** @type {number} */ (points[i + 1]);
    const piece = text.slice(from, to);
    const covering = valid.filter((s) => s.start <= from && s.end >= to);
    if (covering.length === 0) {
      fragment.appendChild(document.createTextNode(piece));
      continue;
    }
    const innermost = covering.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a));
    const keys = [...new Set(covering.map((s) => s.key))];
    const mark = h('mark', { class: innermost.classes.join(' '), title: innermost.title, dataset: { keys: keys.join(' ') } }, piece);
    if (options.onSelect) mark.addEventListener('click', () => options.onSelect?.(innermost.key));
    for (const key of keys) {
      const list = marks.get(key);
      if (list) list.push(mark);
      else marks.set(key, [mark]);
    }
    fragment.appendChild(mark);
  }
  container.replaceChildren(fragment);
  return marks;
}

/**
 * Marks one key's spans as active (clearing the previous ones) and scrolls the first into view.
 * @param {HTMLElement} container
 * @param {Map<string, HTMLElement[]>} marks
 * @param {string | null} key
 */
export function activate(container, marks, key) {
  for (const el of container.querySelectorAll('mark.active')) el.classList.remove('active');
  if (!key) return;
  const list = marks.get(key) ?? [];
  for (const el of list) el.classList.add('active');
  list[0]?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}
