// @ts-check
/**
 * Coder: a note's suggested codes with scores and flags; selecting a code highlights its evidence in the text;
 * accept, reject with a reason, replace through code search, or add missed codes; save a new version of the
 * final code set and export it.
 */
import { ApiError, request } from './api.js';
import { byId, download, formatDate, h, percent, replace, setStatus } from './dom.js';
import { activate, renderHighlighted } from './highlight.js';
import { guardUnsaved, startPage } from './layout.js';
import { codeTypeahead } from './typeahead.js';

/** @typedef {import('./typeahead.js').CodeHit} CodeHit */
/**
 * @typedef {object} Decision
 * @property {'accept' | 'reject' | 'replace' | 'leave'} action
 * @property {string} reason
 * @property {CodeHit | null} replacement
 */

const ACTIONS = /** @type {const} */ ([
  ['accept', 'Accept'],
  ['reject', 'Reject'],
  ['replace', 'Replace'],
  ['leave', 'Leave out'],
]);

const FLAG_TITLES = /** @type {Record<string, string>} */ ({
  needsSpecificity: 'Not billable: choose a more specific code',
  excludes1Conflict: 'Excludes1 conflict',
  codeFirst: 'Code first',
  useAdditionalCode: 'Use additional code',
  codeAlso: 'Code also',
  uncertainDiagnosis: 'Uncertain diagnosis',
  personalHistory: 'Personal history',
  familyHistory: 'Family history',
  documentedAsHistory: 'Documented as history',
});

const WARNING_FLAGS = new Set(['needsSpecificity', 'excludes1Conflict', 'codeFirst', 'uncertainDiagnosis', 'documentedAsHistory']);

const noteId = document.body.dataset.noteId ?? '';

if (startPage()) {
  const status = byId('review-status');
  const textEl = byId('review-text');
  const list = byId('suggestions');
  const formError = byId('review-error');
  /** Decisions changed since the page loaded or last saved: leaving asks first. */
  let unsaved = false;
  for (const type of ['input', 'change', 'click']) {
    byId('review-form').addEventListener(type, (event) => {
      if (type !== 'click' || /** @type {Element} */ (event.target).closest('.choice-list button, .chip-list button, .listbox li')) unsaved = true;
    });
  }
  guardUnsaved(() => (unsaved ? 'Your coding decisions are not saved.' : null));
  /** @type {Map<string, Decision>} */
  const decisions = new Map();
  /** @type {Map<string, { code: string, title: string }>} */
  const added = new Map();
  /** @type {Map<string, HTMLElement[]>} */
  let marks = new Map();
  /** @type {string | null} */
  let selected = null;
  /** @type {string} */
  let patientId = '';

  /** @param {string} code */
  function selectCode(code) {
    selected = selected === code ? null : code;
    for (const b of document.querySelectorAll('#review button.code-button')) b.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (b).dataset.code === selected));
    activate(textEl, marks, selected && `code:${selected}`);
  }

  /**
   * @param {any} flag
   * @param {string} code
   * @param {() => void} refresh
   */
  function flagItem(flag, code, refresh) {
    const title = FLAG_TITLES[flag.kind] ?? flag.kind;
    const severity = WARNING_FLAGS.has(flag.kind) ? 'warn' : 'info';
    const choices =
      flag.kind === 'needsSpecificity' && flag.choices?.length
        ? h(
            'ul',
            { class: 'choice-list', 'aria-label': `More specific codes for ${code}` },
            flag.choices.slice(0, 12).map((/** @type {any} */ c) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary small',
                    onclick: () => {
                      decisions.set(code, { action: 'replace', reason: '', replacement: { code: c.code, title: c.title, billable: true } });
                      refresh();
                    },
                  },
                  h('code', {}, c.code),
                  ` ${c.distinguishing || c.title}`,
                ),
              ),
            ),
          )
        : null;
    return h('li', { class: `flag flag-${severity}` }, h('strong', {}, `${title}. `), flag.message, choices);
  }

  /**
   * One suggestion: code, title, score, flags and the decision controls.
   * @param {any} s
   */
  function suggestionItem(s) {
    const li = h('li', { class: 'suggestion', dataset: { code: s.code } });
    // Flags that change the decision stay in view; instructional notes fold away.
    const warnings = s.flags.filter((/** @type {any} */ f) => WARNING_FLAGS.has(f.kind));
    const notes = s.flags.filter((/** @type {any} */ f) => !WARNING_FLAGS.has(f.kind));
    const render = () => {
      const decision = /** @type {Decision} */ (decisions.get(s.code));
      const name = `decision-${s.code}`;
      const radios = ACTIONS.map(([action, label]) => {
        const id = `${name}-${action}`;
        return h(
          'span',
          { class: 'radio' },
          h('input', {
            type: 'radio',
            id,
            name,
            value: action,
            checked: decision.action === action,
            onchange: () => {
              decisions.set(s.code, { ...decision, action });
              render();
              if (action === 'reject') /** @type {HTMLInputElement | null} */ (li.querySelector('input.reason'))?.focus();
              if (action === 'replace') /** @type {HTMLInputElement | null} */ (li.querySelector('.combo input'))?.focus();
            },
          }),
          h('label', { for: id }, label),
        );
      });
      const reasonId = `${name}-reason`;
      const extra =
        decision.action === 'reject'
          ? h(
              'div',
              { class: 'decision-extra' },
              h('label', { for: reasonId }, `Reason for rejecting ${s.code}`),
              h('input', {
                id: reasonId,
                class: 'reason',
                type: 'text',
                maxlength: 500,
                value: decision.reason,
                'aria-required': 'true',
                oninput: (/** @type {Event} */ e) => decisions.set(s.code, { ...decision, reason: /** @type {HTMLInputElement} */ (e.target).value }),
              }),
            )
          : decision.action === 'replace'
            ? h(
                'div',
                { class: 'decision-extra' },
                decision.replacement
                  ? h('p', { class: 'replacement' }, 'Replace with ', h('code', {}, decision.replacement.code), ` ${decision.replacement.title}`)
                  : h('p', { class: 'hint' }, 'Search for the replacement code.'),
                codeTypeahead({
                  label: `Replacement for ${s.code}`,
                  onChoose: (hit) => {
                    decisions.set(s.code, { ...decision, replacement: hit });
                    render();
                    /** @type {HTMLElement | null} */ (li.querySelector('.replacement'))?.focus();
                  },
                }).element,
              )
            : null;
      replace(
        li,
        h(
          'div',
          { class: 'suggestion-head' },
          h('button', { type: 'button', class: 'code-button', dataset: { code: s.code }, 'aria-pressed': String(selected === s.code), title: 'Highlight the evidence in the text', onclick: () => selectCode(s.code) }, s.code),
          h('span', { class: 'suggestion-title' }, s.title),
          h('span', { class: 'score' }, h('meter', { min: 0, max: 1, value: s.score, 'aria-label': `Score for ${s.code}` }), ` ${percent(s.score)}`),
          h('span', { class: `badge ${s.proposed ? 'ok' : ''}` }, s.proposed ? 'proposed' : 'below threshold'),
          s.billable ? null : h('span', { class: 'badge warn' }, 'not billable'),
          s.evidence.length ? null : h('span', { class: 'badge' }, 'no evidence span'),
        ),
        warnings.length ? h('ul', { class: 'flags' }, warnings.map((/** @type {any} */ f) => flagItem(f, s.code, render))) : null,
        notes.length
          ? h('details', { class: 'flag-notes' }, h('summary', {}, `Coding notes (${notes.length})`), h('ul', { class: 'flags' }, notes.map((/** @type {any} */ f) => flagItem(f, s.code, render))))
          : null,
        h('fieldset', { class: 'decision' }, h('legend', { class: 'visually-hidden' }, `Decision for ${s.code}`), radios, extra),
      );
      const replacement = li.querySelector('.replacement');
      if (replacement) replacement.setAttribute('tabindex', '-1');
    };
    render();
    return li;
  }

  function renderAdded() {
    replace(
      byId('added-codes'),
      [...added.values()].map((c) =>
        h(
          'li',
          { class: 'chip' },
          h('code', {}, c.code),
          ` ${c.title} `,
          h('button', { type: 'button', class: 'link-button', 'aria-label': `Remove ${c.code}`, onclick: () => (added.delete(c.code), renderAdded()) }, '×'),
        ),
      ),
    );
  }

  /** @param {any} review */
  function showFinal(review, warnings = /** @type {string[]} */ ([])) {
    byId('final').hidden = false;
    replace(
      byId('final-body'),
      h('p', { class: 'meta' }, `Version ${review.version} · saved by ${review.reviewedBy} · ${formatDate(review.reviewedAt)} · code set ${review.codeSetVersion}`),
      review.finalCodes.length
        ? h(
            'table',
            { class: 'data-table', id: 'final-codes' },
            h('caption', { class: 'visually-hidden' }, 'Final codes'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Origin'))),
            h(
              'tbody',
              {},
              review.finalCodes.map((/** @type {any} */ f, /** @type {number} */ i) =>
                h('tr', {}, h('td', { class: 'num' }, String(i + 1)), h('td', {}, h('code', {}, f.code)), h('td', {}, f.title), h('td', {}, f.origin === 'replacement' ? `replaces ${f.suggestedCode}` : f.origin)),
              ),
            ),
          )
        : h('p', {}, 'No codes: every suggestion was rejected or left out.'),
      warnings.length ? h('ul', { class: 'flags' }, warnings.map((w) => h('li', { class: 'flag flag-warn' }, w))) : null,
    );
  }

  /**
   * The decisions of the latest saved review become the starting point; otherwise proposed billable codes start accepted.
   * @param {any[]} suggestions
   * @param {any} latest
   */
  function initialDecisions(suggestions, latest) {
    /** @type {Map<string, any>} */
    const previous = new Map((latest?.decisions ?? []).filter((/** @type {any} */ d) => d.suggestedCode).map((/** @type {any} */ d) => [d.suggestedCode, d]));
    for (const s of suggestions) {
      const d = previous.get(s.code);
      if (d?.action === 'accept') decisions.set(s.code, { action: 'accept', reason: '', replacement: null });
      else if (d?.action === 'reject') decisions.set(s.code, { action: 'reject', reason: d.reason ?? '', replacement: null });
      else if (d?.action === 'replace') {
        const final = latest.finalCodes.find((/** @type {any} */ f) => f.code === d.finalCode);
        decisions.set(s.code, { action: 'replace', reason: d.reason ?? '', replacement: { code: d.finalCode, title: final?.title ?? '', billable: true } });
      } else if (latest) decisions.set(s.code, { action: 'leave', reason: '', replacement: null });
      else decisions.set(s.code, { action: s.proposed && s.billable ? 'accept' : 'leave', reason: '', replacement: null });
    }
    for (const f of latest?.finalCodes ?? []) if (f.origin === 'added') added.set(f.code, { code: f.code, title: f.title });
  }

  /** @param {'csv' | 'fhir'} format */
  async function exportCodes(format) {
    try {
      const blob = await request('/v1/coding/export', { query: { format, patientId }, as: 'blob' });
      download(blob, format === 'csv' ? 'clinote-codes.csv' : 'clinote-codes.fhir.json');
    } catch (e) {
      setStatus(status, `Export failed: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  async function load() {
    const [note, codes] = await Promise.all([request(`/v1/notes/${noteId}`), request(`/v1/notes/${noteId}/codes`)]);
    patientId = note.patientId;
    const patient = await request(`/v1/patients/${note.patientId}`).catch(() => null);
    byId('review-heading').textContent = `Code review · MRN ${patient?.mrn ?? '?'} · ${note.kind} note of ${formatDate(note.authoredAt)}`;
    if (note.status !== 'processed') {
      setStatus(status, `The note is ${note.status}; suggestions appear once it is processed.`, 'error');
      return;
    }
    const suggestions = codes.suggestions;
    const latest = codes.reviews.reduce((/** @type {any} */ a, /** @type {any} */ r) => (!a || r.version > a.version ? r : a), null);
    initialDecisions(suggestions, latest);
    marks = renderHighlighted(
      textEl,
      note.text,
      suggestions.flatMap((/** @type {any} */ s) => s.evidence.map((/** @type {any} */ e) => ({ start: e.start, end: e.end, key: `code:${s.code}`, classes: ['hl', 'hl-evidence'], title: `Evidence for ${s.code}` }))),
      { onSelect: (key) => selectCode(key.slice('code:'.length)) },
    );
    const proposed = suggestions.filter((/** @type {any} */ s) => s.proposed || decisions.get(s.code)?.action !== 'leave');
    const others = suggestions.filter((/** @type {any} */ s) => !proposed.includes(s));
    replace(list, proposed.map(suggestionItem));
    replace(byId('suggestions-below'), others.map(suggestionItem));
    byId('below-threshold').hidden = others.length === 0;
    byId('below-summary').textContent = `Other candidates (${others.length})`;
    const addSlot = byId('add-code-slot');
    replace(
      addSlot,
      codeTypeahead({
        label: 'Code to add',
        onChoose: (hit) => {
          added.set(hit.code, { code: hit.code, title: hit.title });
          renderAdded();
        },
      }).element,
    );
    renderAdded();
    if (latest) showFinal(latest);
    byId('review').hidden = false;
    setStatus(status, `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'}${latest ? ` · final code set version ${latest.version} saved` : ' · not reviewed yet'}.`);
  }

  byId('review-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    /** @type {any[]} */
    const body = [];
    for (const [code, d] of decisions) {
      if (d.action === 'accept') body.push({ action: 'accept', code });
      else if (d.action === 'reject') {
        if (!d.reason.trim()) {
          formError.textContent = `Give a reason for rejecting ${code}.`;
          /** @type {HTMLInputElement | null} */ (document.getElementById(`decision-${code}-reason`))?.focus();
          return;
        }
        body.push({ action: 'reject', code, reason: d.reason.trim() });
      } else if (d.action === 'replace') {
        if (!d.replacement) {
          formError.textContent = `Choose the replacement for ${code}.`;
          return;
        }
        body.push({ action: 'replace', code, replacement: d.replacement.code, ...(d.reason ? { reason: d.reason } : {}) });
      }
    }
    for (const c of added.values()) body.push({ action: 'add', code: c.code });
    if (body.length === 0) {
      formError.textContent = 'Decide on at least one code.';
      return;
    }
    const save = /** @type {HTMLButtonElement} */ (byId('review-save'));
    save.disabled = true;
    try {
      const review = await request(`/v1/notes/${noteId}/codes/review`, { method: 'POST', body: { decisions: body } });
      unsaved = false;
      showFinal(review, review.warnings);
      setStatus(status, `Saved final code set version ${review.version}.`, 'ok');
      byId('final').scrollIntoView({ block: 'start' });
    } catch (e) {
      formError.textContent = e instanceof ApiError ? e.message : `Could not save: ${/** @type {Error} */ (e).message}`;
    } finally {
      save.disabled = false;
    }
  });
  byId('export-csv').addEventListener('click', () => void exportCodes('csv'));
  byId('export-fhir').addEventListener('click', () => void exportCodes('fhir'));

  load().catch((e) => setStatus(status, `Could not load the note: ${/** @type {Error} */ (e).message}`, 'error'));
}
