// @ts-check
/**
 * Admin: create API keys (the token is shown once, here), label and revoke them, and read the audit trail with
 * filters (actor, action, patient, time) and a CSV export of everything the filters match.
 */
import { request } from './api.js';
import { byId, download, formatDate, h, replace, setStatus } from './dom.js';
import { startPage } from './layout.js';

/** @typedef {{ id: string, prefix: string, role: string, label: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }} ApiKey */
/** @typedef {{ id: string, at: string, actorKeyId: string | null, actorLabel: string, actorRole: string, action: string, patientId: string | null, resourceType: string, resourceId: string | null, requestId: string | null }} AuditEvent */

/** Actions the API records (the audit trail may hold others; the field accepts any). */
const KNOWN_ACTIONS = [
  'patient.create', 'patient.read', 'patient.list', 'note.create', 'note.read', 'note.list', 'note.fhir', 'note.codes.read', 'note.codes.suggest', 'note.codes.review',
  'history.search', 'history.summary', 'history.cohort-search', 'image.upload', 'image.view', 'image.list', 'image.mark-read', 'image.unread', 'image.download',
  'imaging.worklist', 'icd10.suggest.text', 'text.structure',
];
/** The CSV export stops here; narrow the filters for more. */
const CSV_MAX_ROWS = 50_000;

const principal = startPage();
if (principal) {
  const keysBody = /** @type {HTMLTableSectionElement} */ (byId('keys').querySelector('tbody'));
  const keysStatus = byId('keys-status');
  const created = byId('key-created');
  const createForm = /** @type {HTMLFormElement} */ (byId('key-create'));
  const filterForm = /** @type {HTMLFormElement} */ (byId('audit-filter'));
  const auditBody = /** @type {HTMLTableSectionElement} */ (byId('audit').querySelector('tbody'));
  const auditStatus = byId('audit-status');
  const more = byId('audit-more');
  const actorSelect = /** @type {HTMLSelectElement} */ (byId('audit-actor'));
  replace(byId('audit-actions'), KNOWN_ACTIONS.map((a) => h('option', { value: a })));
  /** @type {string | null} */
  let cursor = null;

  async function loadKeys() {
    try {
      const { items } = /** @type {{ items: ApiKey[] }} */ (await request('/v1/keys'));
      replace(keysBody, items.map(keyRow));
      const active = items.filter((k) => !k.revokedAt).length;
      setStatus(keysStatus, `${items.length} key${items.length === 1 ? '' : 's'}, ${active} active.`);
      const chosen = actorSelect.value;
      replace(actorSelect, h('option', { value: '' }, 'Anyone'), items.map((k) => h('option', { value: k.id }, `${k.label} (${k.role}, ${k.prefix}…)`)));
      actorSelect.value = chosen;
    } catch (e) {
      setStatus(keysStatus, `Could not list the keys: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  /** @param {ApiKey} key */
  function keyRow(key) {
    const self = key.id === principal?.keyId;
    const revoke = key.revokedAt
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            'aria-label': `Revoke ${key.label} (${key.role})`,
            disabled: self,
            title: self ? 'This is the key you are signed in with' : undefined,
            onclick: async () => {
              if (!confirm(`Revoke the key of ${key.label} (${key.role})? Anyone using it is signed out at once.`)) return;
              try {
                await request(`/v1/keys/${key.id}`, { method: 'DELETE' });
                setStatus(keysStatus, `Revoked the key of ${key.label}.`, 'ok');
                await loadKeys();
              } catch (e) {
                setStatus(keysStatus, `Could not revoke: ${/** @type {Error} */ (e).message}`, 'error');
              }
            },
          },
          'Revoke',
        );
    return h(
      'tr',
      { dataset: { keyId: key.id }, class: key.revokedAt ? 'revoked' : '' },
      h('td', {}, key.label, self ? h('span', { class: 'badge' }, 'you') : null),
      h('td', {}, key.role),
      h('td', {}, h('code', {}, `${key.prefix}…`)),
      h('td', {}, formatDate(key.createdAt)),
      h('td', {}, key.lastUsedAt ? formatDate(key.lastUsedAt) : 'never'),
      h('td', {}, key.revokedAt ? h('span', { class: 'badge warn' }, `revoked ${formatDate(key.revokedAt)}`) : h('span', { class: 'badge ok' }, 'active')),
      h('td', {}, revoke),
    );
  }

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = byId('key-error');
    error.textContent = '';
    const data = new FormData(createForm);
    try {
      const key = await request('/v1/keys', { method: 'POST', body: { label: String(data.get('label') ?? '').trim(), role: String(data.get('role')) } });
      createForm.reset();
      const token = h('code', { id: 'new-token', class: 'token' }, key.token);
      replace(
        created,
        h('p', {}, h('strong', {}, `Key for ${key.label} (${key.role}) created.`), ' Give this token to its holder now: it is shown only once and cannot be recovered.'),
        token,
        h(
          'div',
          { class: 'form-actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => void navigator.clipboard?.writeText(key.token).then(() => setStatus(keysStatus, 'Token copied.', 'ok')) }, 'Copy token'),
          h('button', { type: 'button', class: 'secondary small', onclick: () => ((created.hidden = true), replace(created)) }, 'Done: hide the token'),
        ),
      );
      created.hidden = false;
      created.focus();
      await loadKeys();
    } catch (e) {
      error.textContent = `Could not create the key: ${/** @type {Error} */ (e).message}`;
    }
  });

  /** The filters as API query parameters (datetime-local is the browser's local time). */
  function filters() {
    const data = new FormData(filterForm);
    /** @type {Record<string, string>} */
    const query = {};
    for (const name of ['actorKeyId', 'action', 'patientId']) {
      const v = String(data.get(name) ?? '').trim();
      if (v) query[name] = v;
    }
    for (const name of ['since', 'until']) {
      const v = String(data.get(name) ?? '');
      if (v) query[name] = new Date(v).toISOString();
    }
    return query;
  }

  /** @param {AuditEvent} e */
  const auditRow = (e) =>
    h(
      'tr',
      {},
      h('td', {}, h('time', { datetime: e.at }, formatDate(e.at))),
      h('td', {}, e.actorLabel),
      h('td', {}, e.actorRole),
      h('td', {}, h('code', {}, e.action)),
      h('td', {}, e.patientId ? h('button', { type: 'button', class: 'link-button mono', title: 'Filter by this patient', onclick: () => filterByPatient(/** @type {string} */ (e.patientId)) }, e.patientId.slice(0, 8)) : '—'),
      h('td', {}, e.resourceType, e.resourceId ? h('span', { class: 'meta' }, ` ${e.resourceId.slice(0, 8)}`) : null),
    );

  /** @param {string} patientId */
  function filterByPatient(patientId) {
    /** @type {HTMLInputElement} */ (byId('audit-patient')).value = patientId;
    void loadAudit(true);
  }

  /** @param {boolean} reset */
  async function loadAudit(reset) {
    if (reset) {
      cursor = null;
      auditBody.replaceChildren();
    }
    setStatus(auditStatus, 'Loading…');
    try {
      const page = await request('/v1/audit', { query: { ...filters(), limit: 100, cursor: cursor ?? undefined } });
      for (const e of /** @type {AuditEvent[]} */ (page.items)) auditBody.appendChild(auditRow(e));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      const n = auditBody.children.length;
      setStatus(auditStatus, n === 0 ? 'No events match.' : `${n} event${n === 1 ? '' : 's'}${cursor ? ' shown; older ones below' : ''}.`);
    } catch (e) {
      setStatus(auditStatus, `Could not read the audit trail: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  /** @param {unknown} v */
  const csvCell = (v) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // Quote always; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
    return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
  };

  async function exportCsv() {
    const columns = ['at', 'actorLabel', 'actorRole', 'actorKeyId', 'action', 'patientId', 'resourceType', 'resourceId', 'requestId', 'detail'];
    const lines = [columns.join(',')];
    /** @type {string | null | undefined} */
    let next;
    setStatus(auditStatus, 'Exporting…');
    try {
      do {
        const page = await request('/v1/audit', { query: { ...filters(), limit: 200, cursor: next ?? undefined } });
        for (const e of page.items) lines.push(columns.map((c) => csvCell(e[c])).join(','));
        next = page.nextCursor;
      } while (next && lines.length <= CSV_MAX_ROWS);
      download(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }), `audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`);
      setStatus(auditStatus, `Exported ${lines.length - 1} event${lines.length === 2 ? '' : 's'}${next ? ` (stopped at ${CSV_MAX_ROWS}: narrow the filters for the rest)` : ''}.`, 'ok');
    } catch (e) {
      setStatus(auditStatus, `Export failed: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadAudit(true);
  });
  byId('audit-csv').addEventListener('click', () => void exportCsv());
  more.addEventListener('click', () => void loadAudit(false));
  void loadKeys();
  void loadAudit(true);
}
