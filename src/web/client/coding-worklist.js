// @ts-check
/**
 * Coder: encounters (and notes without one, each its own outpatient encounter) awaiting review, oldest first, or
 * already reviewed; filtered by status and encounter type. A row shows the patient, the dates, how long it has
 * waited, how many codes are proposed and whether any would fail a blocking claim edit.
 */
import { request } from './api.js';
import { byId, formatDate, h, setStatus } from './dom.js';
import { startPage } from './layout.js';

if (startPage()) {
  const body = /** @type {HTMLTableSectionElement} */ (document.querySelector('#worklist tbody'));
  const status = byId('worklist-status');
  const more = byId('worklist-more');
  const typeFilter = /** @type {HTMLSelectElement} */ (byId('wl-type'));
  /** @type {string | null} */
  let cursor = null;

  const statusFilter = () => /** @type {HTMLInputElement} */ (document.querySelector('input[name=wl-status]:checked')).value;

  /** @param {any} item */
  function dates(item) {
    const start = formatDate(item.start, false);
    return item.end && formatDate(item.end, false) !== start ? `${start} – ${formatDate(item.end, false)}` : start;
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      body.replaceChildren();
      cursor = null;
    }
    setStatus(status, 'Loading…');
    try {
      const page = await request('/v1/coding/worklist', { query: { status: statusFilter(), type: typeFilter.value || undefined, limit: 50, cursor: cursor ?? undefined } });
      for (const item of page.items) {
        const href = item.encounterId ? `/app/coding/encounters/${item.encounterId}` : `/app/coding/${item.noteId}`;
        const who = item.name ?? 'unnamed patient';
        body.appendChild(
          h(
            'tr',
            {},
            h('td', {}, who),
            h('td', {}, item.mrn),
            h('td', {}, item.type),
            h('td', {}, dates(item)),
            h('td', { class: 'num' }, String(item.daysWaiting)),
            h('td', { class: 'num' }, String(item.noteCount)),
            h('td', { class: 'num' }, String(item.proposedCount)),
            h('td', {}, item.blocking ? h('span', { class: 'badge warn' }, 'blocking edit') : 'none'),
            h('td', {}, item.reviewVersion ? `version ${item.reviewVersion}` : 'not yet'),
            h('td', {}, h('a', { href, class: 'button-link', 'aria-label': `Review the ${item.type} encounter of ${who}, MRN ${item.mrn}, ${dates(item)}` }, 'Review')),
          ),
        );
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
      const count = body.rows.length;
      setStatus(
        status,
        count === 0
          ? statusFilter() === 'awaiting'
            ? 'No encounters are waiting for review.'
            : 'No reviewed encounters yet.'
          : `${count} encounter${count === 1 ? '' : 's'}${cursor ? ' (more available)' : ''}.`,
      );
    } catch (e) {
      setStatus(status, `Could not load the worklist: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  for (const radio of document.querySelectorAll('input[name=wl-status]')) radio.addEventListener('change', () => void load(true));
  typeFilter.addEventListener('change', () => void load(true));
  more.addEventListener('click', () => void load(false));
  void load(true);
}
