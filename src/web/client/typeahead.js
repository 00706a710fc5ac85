// @ts-check
/** ICD-10-CM code search as an ARIA combobox: type a code prefix or words, arrow keys to move, Enter to choose. */
import { request } from './api.js';
import { h } from './dom.js';

/** @typedef {{ code: string, title: string, billable: boolean }} CodeHit */

let instances = 0;

/**
 * @param {{ label: string, onChoose: (hit: CodeHit) => void, billableOnly?: boolean, placeholder?: string }} options
 * @returns {{ element: HTMLElement, input: HTMLInputElement }}
 */
export function codeTypeahead({ label, onChoose, billableOnly = true, placeholder = 'Code or words, e.g. J18.9 or lobar pneumonia' }) {
  const id = `code-search-${++instances}`;
  const list = h('ul', { id: `${id}-list`, role: 'listbox', class: 'listbox', 'aria-label': `${label}: matches`, hidden: true });
  const input = h('input', {
    id,
    type: 'text',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': list.id,
    placeholder,
  });
  const status = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
  /** @type {CodeHit[]} */
  let hits = [];
  let activeIndex = -1;
  /** @type {AbortController | null} */
  let inflight = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    activeIndex = -1;
  }

  /** @param {number} index */
  function setActive(index) {
    activeIndex = index;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    const option = list.children[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  /** @param {CodeHit} hit */
  function choose(hit) {
    close();
    input.value = '';
    onChoose(hit);
  }

  /** @param {string} q */
  async function search(q) {
    inflight?.abort();
    if (q.length < 2) {
      close();
      return;
    }
    inflight = new AbortController();
    try {
      const result = await request('/v1/icd10/search', { query: { q, limit: 10, billableOnly: billableOnly ? 'true' : undefined }, signal: inflight.signal });
      hits = result.items;
    } catch (e) {
      if (/** @type {Error} */ (e).name === 'AbortError') return;
      hits = [];
    }
    list.replaceChildren(
      ...hits.map((hit, i) =>
        h(
          'li',
          {
            id: `${id}-opt-${i}`,
            role: 'option',
            'aria-selected': 'false',
            // mousedown, not click: it fires before the input loses focus and closes the list.
            onmousedown: (/** @type {MouseEvent} */ e) => {
              e.preventDefault();
              choose(hit);
            },
          },
          h('code', {}, hit.code),
          ' ',
          hit.title,
          hit.billable ? null : h('span', { class: 'badge warn' }, 'not billable'),
        ),
      ),
    );
    status.textContent = hits.length ? `${hits.length} codes found` : 'No code found';
    list.hidden = hits.length === 0;
    input.setAttribute('aria-expanded', String(hits.length > 0));
    setActive(-1);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(input.value.trim()), 180);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      if (list.hidden) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      setActive((activeIndex + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      setActive(activeIndex <= 0 ? hits.length - 1 : activeIndex - 1);
    } else if (e.key === 'Enter') {
      // Enter never submits the surrounding form from here.
      e.preventDefault();
      const hit = hits[activeIndex] ?? (hits.length === 1 ? hits[0] : undefined);
      if (hit && !list.hidden) choose(hit);
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));

  const element = h('div', { class: 'combo' }, h('label', { for: id }, label), input, list, status);
  return { element, input };
}
