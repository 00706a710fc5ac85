// @ts-check
/**
 * DOM building without HTML parsing: every string becomes a text node or an attribute value, so patient data
 * can never turn into markup. (No innerHTML anywhere in the client.)
 */

/** @typedef {string | number | Node | null | undefined | false | unknown[]} Child nested arrays are flattened */
/** @typedef {Record<string, unknown>} Attributes */

/**
 * @param {Element} el
 * @param {Attributes} attrs
 */
function applyAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    } else if (name === 'dataset' && typeof value === 'object') {
      for (const [k, v] of Object.entries(/** @type {Record<string, string>} */ (value))) /** @type {HTMLElement} */ (el).dataset[k] = v;
    } else if (name === 'style' && typeof value === 'object') {
      // CSSOM properties, allowed by the page's CSP (style attributes are not).
      Object.assign(/** @type {HTMLElement} */ (el).style, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
}

/**
 * @param {Node} parent
 * @param {Child[]} children
 */
function appendChildren(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendChildren(parent, /** @type {Child[]} */ (child));
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * An HTML element: `h('a', { href: '/x', class: 'link', onclick: fn }, 'text', child)`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  applyAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

/**
 * An SVG element.
 * @param {string} tag
 * @param {Attributes} [attrs]
 * @param {...Child} children
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS('http://www.w3.org/2000/svg', tag));
  applyAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

/**
 * Replaces an element's children.
 * @param {Element} el
 * @param {...Child} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
}

/**
 * The element with this id (throws when the page skeleton lacks it: a programming error).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return /** @type {T} */ (el);
}

/**
 * Writes a status line (an aria-live region) and marks it as an error or not.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {'info' | 'error' | 'ok'} [kind]
 */
export function setStatus(el, text, kind = 'info') {
  el.textContent = text;
  el.classList.toggle('error', kind === 'error');
  el.classList.toggle('ok', kind === 'ok');
}

/**
 * @param {string | null | undefined} iso
 * @param {boolean} [withTime]
 */
export function formatDate(iso, withTime = true) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return withTime
    ? d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** How UCUM units are written for people. */
const UNIT_DISPLAY = /** @type {Record<string, string>} */ ({ Cel: '°C', '[degF]': '°F', 'mm[Hg]': 'mmHg', 'kg/m2': 'kg/m²', '[lb_av]': 'lb', '[in_i]': 'in', '[iU]': 'IU' });

/** @param {string | null | undefined} unit */
export const unitText = (unit) => (unit ? (UNIT_DISPLAY[unit] ?? unit.replace(/^\{(.*)\}$/, '$1')) : '');

/** @param {number} p 0–1 */
export const percent = (p) => `${Math.round(p * 100)}%`;

/**
 * Offers bytes as a file download.
 * @param {Blob} blob
 * @param {string} filename
 */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
