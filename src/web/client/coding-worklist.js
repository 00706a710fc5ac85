// @ts-check
/** Coder: processed notes awaiting review (oldest first) or already reviewed. */
import { request } from './api.js';
import { byId, formatDate, h, setStatus } from './dom.js';
import { startPage } from './layout.js';

if (startPage()) {
  const body = /** @type {HTMLTableSectionElement} */ (document.querySelector('#worklist tbody'));
  const status = byId('worklist-status');
  const more = byId('worklist-more');
  /** @type {string | null} */
  let cursor = null;

  const statusFilter = () => /** @type {HTMLInputElement} */ (document.querySelector('input[name=wl-status]:checked')).value;

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      body.replaceChildren();
      cursor = null;
    }
    setStatus(status, 'Loading…');
    try {
      const page = await request('/v1/coding/worklist', { query: { status: statusFilter(), limit: 50, cursor: cursor ?? undefined } });
      for (const item of page.items) {
        body.appendChild(
          h(
            'tr',
            {},
            h('td', {}, item.mrn),
            h('td', {}, item.kind),
            h('td', {}, formatDate(item.authoredAt)),
            h('td', { class: 'num' }, String(item.suggestionCount)),
            h('td', {}, item.reviewVersion ? `version ${item.reviewVersion}` : 'not yet'),
            h('td', {}, h('a', { href: `/app/coding/${item.noteId}`, class: 'button-link', 'aria-label': `Review note of MRN ${item.mrn} written ${formatDate(item.authoredAt)}` }, 'Review')),
          ),
        );
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
      const count = body.rows.length;
      setStatus(status, count === 0 ? (statusFilter() === 'awaiting' ? 'No notes are waiting for review.' : 'No reviewed notes yet.') : `${count} note${count === 1 ? '' : 's'}${cursor ? ' (more available)' : ''}.`);
    } catch (e) {
      setStatus(status, `Could not load the worklist: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  for (const radio of document.querySelectorAll('input[name=wl-status]')) radio.addEventListener('change', () => void load(true));
  more.addEventListener('click', () => void load(false));
  void load(true);
}
