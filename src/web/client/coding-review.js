// @ts-check
/**
 * Coder: the code review of an encounter (or of a note, its own outpatient encounter). Every proposed code needs
 * a decision (nothing is pre-filled; "Accept all proposed" is an explicit action): accept, reject with a reason,
 * replace through code search, or leave out; codes the engine missed are added. Coded codes are sequenced by
 * buttons or Alt+arrows (the first is principal); inpatient codes carry a POA indicator, proposed from the text
 * where it says so. Claim edits are checked as the coder works: blocking ones must be fixed, warnings overridden
 * with a reason. Save, or Save & next to open the next encounter waiting.
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
/** @typedef {{ id: string, severity: 'blocking' | 'warning', kind: string, codes: string[], message: string }} ClaimEdit */

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

/** How a mention is asserted, as the doctor's view shows it; "present" needs no badge. */
const ASSERTION_BADGES = /** @type {Record<string, [string, string]>} */ ({
  absent: ['negated', 'ctx-negated'],
  possible: ['uncertain', 'ctx-uncertain'],
  historical: ['historical', 'ctx-historical'],
  family: ['family', 'ctx-family'],
  hypothetical: ['hypothetical', 'ctx-hypothetical'],
});
/**
 * A proposed code's confidence is a level from how the guidelines reached it (its basis shown beside it), not the
 * ranker's score, which is trained on the CodiEsp convention and only orders the alternatives; alternatives show
 * that score as such. Suggestions stored before confidence existed show their score.
 * @param {any} s
 * @param {string} code
 */
function confidenceBadge(s, code) {
  if (!s.confidence) return h('span', { class: 'score' }, h('meter', { min: 0, max: 1, value: s.score, 'aria-label': `Score for ${code}` }), ` ${percent(s.score)}`);
  if (!s.proposed) return h('span', { class: 'score', title: s.confidenceBasis ?? '' }, `model score ${percent(s.score)}`);
  return h('span', { class: `badge confidence ${s.confidence === 'high' ? 'ok' : 'warn'}`, title: s.confidenceBasis ?? '' }, `${s.confidence} confidence`, s.confidence === 'high' ? null : h('span', { class: 'confidence-basis' }, `: ${s.confidenceBasis}`));
}

const ROLE_LABELS = /** @type {Record<string, string>} */ ({ principal: 'principal', secondary: 'secondary', status: 'status', history: 'history', family: 'family history' });
const POA_OPTIONS = /** @type {const} */ ([
  ['Y', 'Y: present at admission'],
  ['N', 'N: not present at admission'],
  ['U', 'U: documentation insufficient'],
  ['W', 'W: clinically undetermined'],
]);

const pageNoteId = document.body.dataset.noteId ?? '';
const pageEncounterId = document.body.dataset.encounterId ?? '';

/** Text entry where letters and arrows belong to the field, not to the shortcuts. */
const isTextEntry = (/** @type {EventTarget | null} */ el) =>
  el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(el.type));

if (startPage()) {
  const status = byId('review-status');
  const notesEl = byId('review-notes');
  const list = byId('suggestions');
  const below = byId('suggestions-below');
  const formError = byId('review-error');
  const help = /** @type {HTMLDialogElement} */ (byId('shortcut-help'));

  /** @type {any} */
  let ws = null;
  /** Where reviews are saved: the encounter, or the lone note. */
  let reviewPath = '';
  /** @type {Map<string, any>} */
  const suggestionByCode = new Map();
  /** @type {Map<string, Decision>} */
  const decisions = new Map();
  /** @type {Map<string, string>} POA chosen per card key */
  const poa = new Map();
  /** Card keys in sequence order: a suggestion's code, or `add:<code>` for an added code. */
  /** @type {string[]} */
  let order = [];
  /** @type {Map<string, { code: string, title: string }>} */
  const added = new Map();
  /** @type {Map<string, string>} override reason per warning id */
  const overrides = new Map();
  /** @type {ClaimEdit[]} */
  let edits = [];
  /** @type {Map<string, HTMLElement>} */
  const cards = new Map();
  /** @type {Map<string, HTMLElement[]>} */
  let marks = new Map();
  /** @type {string | null} */
  let selected = null;
  let dirty = false;
  let inpatient = false;

  guardUnsaved(() => (dirty ? 'Your coding decisions are not saved.' : null));

  const isAdded = (/** @type {string} */ key) => key.startsWith('add:');
  const codeOf = (/** @type {string} */ key) => (isAdded(key) ? key.slice(4) : key);
  const isCoded = (/** @type {string} */ key) => isAdded(key) || ['accept', 'replace'].includes(decisions.get(key)?.action ?? '');
  /** The code that goes on the claim for a card. */
  const finalCodeOf = (/** @type {string} */ key) => {
    const d = decisions.get(key);
    return d?.action === 'replace' ? (d.replacement?.code ?? null) : codeOf(key);
  };
  const isExempt = (/** @type {string} */ key) => !isAdded(key) && suggestionByCode.get(key)?.poaProposal?.poa === 'exempt';
  const codedKeys = () => order.filter(isCoded);

  function markDirty() {
    dirty = true;
    scheduleValidation();
  }

  /** @param {string} code */
  function selectCode(code) {
    selected = selected === code ? null : code;
    for (const b of document.querySelectorAll('#review button.code-button')) b.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (b).dataset.code === selected));
    for (const container of notesEl.querySelectorAll('.note-text')) activate(/** @type {HTMLElement} */ (container), marks, selected && `code:${selected}`);
  }

  /**
   * @param {any} flag
   * @param {string} code
   */
  function flagItem(flag, code) {
    const title = FLAG_TITLES[flag.kind] ?? flag.kind;
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
                      decide(code, 'replace', { replacement: { code: c.code, title: c.title, billable: true } });
                    },
                  },
                  h('code', {}, c.code),
                  ` ${c.distinguishing || c.title}`,
                ),
              ),
            ),
          )
        : null;
    return h('li', { class: `flag flag-${WARNING_FLAGS.has(flag.kind) ? 'warn' : 'info'}` }, h('strong', {}, `${title}. `), flag.message, choices);
  }

  /** @param {any} e evidence span with its note and sentence */
  function evidenceItem(e) {
    const note = ws.notes.find((/** @type {any} */ n) => n.id === e.noteId);
    const sentence = e.sentence ?? { text: e.text, start: 0, end: e.text.length };
    const badge = ASSERTION_BADGES[e.assertion ?? ''];
    return h(
      'li',
      {},
      ws.notes.length > 1 && note ? h('span', { class: 'evidence-note' }, `${note.kind}, ${formatDate(note.authoredAt, false)}:`) : null,
      '“',
      sentence.text.slice(0, sentence.start),
      h('mark', {}, sentence.text.slice(sentence.start, sentence.end)),
      sentence.text.slice(sentence.end),
      '”',
      badge ? h('span', { class: `badge ctx-badge ${badge[1]}` }, badge[0]) : null,
    );
  }

  /**
   * Sets a card's decision (from a radio, a shortcut or a button) and updates the card in place, so focus stays
   * where it is (an arrow key in the radio group never lands in the reason field).
   * @param {string} key
   * @param {Decision['action']} action
   * @param {Partial<Decision>} [extra]
   */
  function decide(key, action, extra = {}) {
    const previous = decisions.get(key);
    decisions.set(key, { action, reason: previous?.reason ?? '', replacement: previous?.replacement ?? null, ...extra });
    // A candidate that gets coded joins the sequence.
    if (!order.includes(key) && (action === 'accept' || action === 'replace')) {
      order.push(key);
      placeCards();
    }
    updateCard(key);
    markDirty();
  }

  /** @param {string} key */
  function buildCard(key) {
    const code = codeOf(key);
    const s = isAdded(key) ? null : suggestionByCode.get(key);
    const li = h('li', { class: 'suggestion', dataset: { code }, tabindex: '-1', 'aria-label': `${code} ${s?.title ?? added.get(code)?.title ?? ''}` });
    li.addEventListener('focusin', () => {
      for (const c of list.querySelectorAll('.suggestion.current')) c.classList.remove('current');
      for (const c of below.querySelectorAll('.suggestion.current')) c.classList.remove('current');
      li.classList.add('current');
    });
    const sequence = h('span', { class: 'sequence' });
    const move = h(
      'span',
      { class: 'move' },
      h('button', { type: 'button', class: 'secondary small move-up', 'aria-label': `Move ${code} up`, onclick: () => moveCard(key, -1) }, '↑'),
      h('button', { type: 'button', class: 'secondary small move-down', 'aria-label': `Move ${code} down`, onclick: () => moveCard(key, 1) }, '↓'),
    );
    const head = h(
      'div',
      { class: 'suggestion-head' },
      sequence,
      h('button', { type: 'button', class: 'code-button', dataset: { code }, 'aria-pressed': 'false', title: 'Highlight the evidence in the notes', onclick: () => selectCode(code) }, code),
      h('span', { class: 'suggestion-title' }, s?.title ?? added.get(code)?.title ?? ''),
      s ? confidenceBadge(s, code) : h('span', { class: 'badge' }, 'added'),
      s?.role ? h('span', { class: 'badge role' }, ROLE_LABELS[s.role] ?? s.role) : null,
      s ? h('span', { class: `badge ${s.proposed ? 'ok' : ''}` }, s.proposed ? 'proposed' : 'candidate') : null,
      s && !s.billable ? h('span', { class: 'badge warn' }, 'not billable') : null,
      move,
    );
    const warnings = (s?.flags ?? []).filter((/** @type {any} */ f) => WARNING_FLAGS.has(f.kind));
    const notes = (s?.flags ?? []).filter((/** @type {any} */ f) => !WARNING_FLAGS.has(f.kind));
    const editsSlot = h('ul', { class: 'flags card-edits' });
    const extraSlot = h('div', { class: 'decision-extra-slot' });
    const poaSlot = h('div', { class: 'poa-slot' });
    const name = `decision-${code}`;
    const decisionControls = isAdded(key)
      ? h('button', { type: 'button', class: 'link-button', 'aria-label': `Remove ${code}`, onclick: () => removeAdded(code) }, 'Remove')
      : h(
          'fieldset',
          { class: 'decision' },
          h('legend', { class: 'visually-hidden' }, `Decision for ${code}`),
          ACTIONS.map(([action, label]) =>
            h(
              'span',
              { class: 'radio' },
              h('input', { type: 'radio', id: `${name}-${action}`, name, value: action, onchange: () => decide(key, action) }),
              h('label', { for: `${name}-${action}` }, label),
            ),
          ),
          extraSlot,
        );
    replace(
      li,
      head,
      s?.rule ? h('p', { class: 'rule' }, `Rule: ${s.rule}`) : null,
      s?.evidence?.length
        ? h('ul', { class: 'evidence-list', 'aria-label': `Evidence for ${code}` }, s.evidence.map(evidenceItem))
        : s
          ? h('p', { class: 'hint' }, 'No evidence span in the notes.')
          : null,
      warnings.length ? h('ul', { class: 'flags' }, warnings.map((/** @type {any} */ f) => flagItem(f, code))) : null,
      notes.length
        ? h('details', { class: 'flag-notes' }, h('summary', {}, `Coding notes (${notes.length})`), h('ul', { class: 'flags' }, notes.map((/** @type {any} */ f) => flagItem(f, code))))
        : null,
      editsSlot,
      decisionControls,
      poaSlot,
    );
    cards.set(key, li);
    updateCard(key);
    return li;
  }

  /** Refreshes the parts of a card that follow its decision, sequence, POA and edits. */
  function updateCard(/** @type {string} */ key) {
    const li = cards.get(key);
    if (!li) return;
    const code = codeOf(key);
    const d = decisions.get(key);
    const s = suggestionByCode.get(key);
    li.classList.toggle('undecided', Boolean(s?.proposed) && !d);
    const coded = codedKeys();
    const position = coded.indexOf(key);
    /** @type {HTMLElement} */ (li.querySelector('.sequence')).textContent = position < 0 ? '' : position === 0 ? `1 · ${inpatient ? 'principal' : 'first-listed'}` : String(position + 1);
    for (const radio of li.querySelectorAll('input[type=radio]')) /** @type {HTMLInputElement} */ (radio).checked = d?.action === /** @type {HTMLInputElement} */ (radio).value;

    const extraSlot = li.querySelector('.decision-extra-slot');
    if (extraSlot) {
      const reasonId = `decision-${code}-reason`;
      const want = d?.action === 'reject' ? 'reject' : d?.action === 'replace' ? `replace:${d.replacement?.code ?? ''}` : '';
      if (/** @type {HTMLElement} */ (extraSlot).dataset.showing !== want) {
        /** @type {HTMLElement} */ (extraSlot).dataset.showing = want;
        replace(
          /** @type {HTMLElement} */ (extraSlot),
          d?.action === 'reject'
            ? h(
                'div',
                { class: 'decision-extra' },
                h('label', { for: reasonId }, `Reason for rejecting ${code}`),
                h('input', {
                  id: reasonId,
                  class: 'reason',
                  type: 'text',
                  maxlength: 500,
                  value: d.reason,
                  'aria-required': 'true',
                  oninput: (/** @type {Event} */ e) => {
                    decisions.set(key, { ...(/** @type {Decision} */ (decisions.get(key))), reason: /** @type {HTMLInputElement} */ (e.target).value });
                    dirty = true;
                  },
                }),
              )
            : d?.action === 'replace'
              ? h(
                  'div',
                  { class: 'decision-extra' },
                  d.replacement
                    ? h('p', { class: 'replacement', tabindex: '-1' }, 'Replace with ', h('code', {}, d.replacement.code), ` ${d.replacement.title}`)
                    : h('p', { class: 'hint' }, 'Search for the replacement code.'),
                  codeTypeahead({
                    label: `Replacement for ${code}`,
                    onChoose: (hit) => {
                      decide(key, 'replace', { replacement: hit });
                      /** @type {HTMLElement | null} */ (li.querySelector('.replacement'))?.focus();
                    },
                  }).element,
                )
              : null,
        );
      }
    }

    const poaSlot = /** @type {HTMLElement} */ (li.querySelector('.poa-slot'));
    const needsPoa = inpatient && isCoded(key);
    const poaKey = needsPoa ? (isExempt(key) ? 'exempt' : 'select') : '';
    if (poaSlot.dataset.showing !== poaKey) {
      poaSlot.dataset.showing = poaKey;
      const proposal = s?.poaProposal;
      const selectId = `poa-${code}`;
      replace(
        poaSlot,
        !needsPoa
          ? null
          : isExempt(key)
            ? h('p', { class: 'poa hint' }, 'POA: exempt from reporting')
            : h(
                'div',
                { class: 'poa' },
                h('label', { for: selectId }, `POA for ${code}`),
                h(
                  'select',
                  {
                    id: selectId,
                    class: 'poa-select',
                    'aria-required': 'true',
                    onchange: (/** @type {Event} */ e) => {
                      const value = /** @type {HTMLSelectElement} */ (e.target).value;
                      if (value) poa.set(key, value);
                      else poa.delete(key);
                      markDirty();
                    },
                  },
                  h('option', { value: '' }, 'Choose…'),
                  POA_OPTIONS.map(([value, label]) => h('option', { value, selected: poa.get(key) === value }, label)),
                ),
                proposal && proposal.poa !== 'exempt' ? h('span', { class: 'hint' }, `proposed ${proposal.poa} from ${proposal.because}`) : null,
              ),
      );
    }

    const mine = edits.filter((e) => e.codes.includes(finalCodeOf(key) ?? ''));
    replace(
      /** @type {HTMLElement} */ (li.querySelector('.card-edits')),
      mine.map((e) => h('li', { class: `flag ${e.severity === 'blocking' ? 'flag-block' : 'flag-warn'}` }, h('strong', {}, e.severity === 'blocking' ? 'Blocking. ' : 'Warning. '), e.message)),
    );
  }

  /** Puts the cards in sequence order: coded and proposed codes in the main list, other candidates below. */
  function placeCards() {
    const focused = document.activeElement;
    const main = order.map((key) => cards.get(key) ?? buildCard(key));
    const others = [...suggestionByCode.keys()].filter((code) => !order.includes(code)).map((code) => cards.get(code) ?? buildCard(code));
    list.append(...main);
    below.append(...others);
    byId('below-threshold').hidden = others.length === 0;
    byId('below-summary').textContent = `Other candidates (${others.length})`;
    for (const key of order) updateCard(key);
    if (focused instanceof HTMLElement && focused !== document.activeElement) focused.focus();
  }

  /**
   * Moves a card up or down the sequence.
   * @param {string} key
   * @param {-1 | 1} step
   */
  function moveCard(key, step) {
    const from = order.indexOf(key);
    const to = from + step;
    if (from < 0 || to < 0 || to >= order.length) return;
    const focused = document.activeElement;
    order.splice(from, 1);
    order.splice(to, 0, key);
    placeCards();
    if (focused instanceof HTMLElement) focused.focus();
    setStatus(status, `${codeOf(key)} moved to position ${to + 1} of ${order.length}.`);
    markDirty();
  }

  /** @param {string} code */
  function removeAdded(code) {
    const key = `add:${code}`;
    added.delete(code);
    order = order.filter((k) => k !== key);
    cards.get(key)?.remove();
    cards.delete(key);
    placeCards();
    markDirty();
  }

  /** @param {{ code: string, title: string }} hit */
  function addCode(hit) {
    if (suggestionByCode.has(hit.code)) {
      decide(hit.code, 'accept');
      cards.get(hit.code)?.focus();
      return;
    }
    if (added.has(hit.code)) return;
    added.set(hit.code, { code: hit.code, title: hit.title });
    order.push(`add:${hit.code}`);
    placeCards();
    markDirty();
  }

  /** The warnings and blocking edits in the claim-edits panel; warnings take an override reason. */
  function renderEdits() {
    const blocking = edits.filter((e) => e.severity === 'blocking');
    const warnings = edits.filter((e) => e.severity === 'warning');
    byId('claim-edits-summary').textContent =
      edits.length === 0
        ? codedKeys().length
          ? 'No claim edits on the codes as sequenced.'
          : 'No codes coded yet.'
        : `${blocking.length} blocking (fix the codes; they cannot be overridden), ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (override with a reason, or fix).`;
    replace(
      byId('claim-edits-list'),
      edits.map((e, i) => {
        if (e.severity === 'blocking') return h('li', { class: 'flag flag-block', dataset: { edit: e.id } }, h('strong', {}, 'Blocking. '), e.message);
        const id = `override-${i}`;
        return h(
          'li',
          { class: 'flag flag-warn', dataset: { edit: e.id } },
          h('strong', {}, 'Warning. '),
          e.message,
          h(
            'div',
            { class: 'decision-extra' },
            h('label', { for: id }, `Override reason (${e.codes.join(', ')})`),
            h('input', {
              id,
              class: 'override-reason',
              type: 'text',
              maxlength: 500,
              value: overrides.get(e.id) ?? '',
              oninput: (/** @type {Event} */ ev) => {
                overrides.set(e.id, /** @type {HTMLInputElement} */ (ev.target).value);
                dirty = true;
              },
            }),
          ),
        );
      }),
    );
    for (const key of cards.keys()) updateCard(key);
  }

  /** @type {number | undefined} */
  let validationTimer;
  let validationRun = 0;
  function scheduleValidation() {
    clearTimeout(validationTimer);
    validationTimer = window.setTimeout(() => void validate(), 250);
  }

  /** Claim edits of the codes as coded and sequenced now (the same checks the save runs). */
  async function validate() {
    const run = ++validationRun;
    const codes = codedKeys().map(finalCodeOf).filter((c) => c !== null);
    if (codes.length === 0) {
      edits = [];
      renderEdits();
      return;
    }
    const patient = /** @type {Record<string, string>} */ ({});
    if (ws.patient.sex) patient.sex = ws.patient.sex;
    if (ws.patient.birthDate) patient.birthDate = ws.patient.birthDate;
    try {
      const result = await request('/v1/coding/validate', { method: 'POST', body: { codes, patient, encounter: { type: ws.encounter.type, start: ws.encounter.start } } });
      if (run !== validationRun) return;
      edits = result.edits;
      renderEdits();
    } catch (e) {
      if (run === validationRun) byId('claim-edits-summary').textContent = `Could not check the claim edits: ${/** @type {Error} */ (e).message}`;
    }
  }

  /** @param {any} review */
  function showFinal(review, shownEdits = /** @type {ClaimEdit[]} */ ([])) {
    byId('final').hidden = false;
    replace(
      byId('final-body'),
      h('p', { class: 'meta' }, `Version ${review.version} · saved by ${review.reviewedBy} · ${formatDate(review.reviewedAt)} · code set ${ws.codeSetVersion}`),
      review.finalCodes.length
        ? h(
            'table',
            { class: 'data-table', id: 'final-codes' },
            h('caption', { class: 'visually-hidden' }, 'Final codes in sequence'),
            h(
              'thead',
              {},
              h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Title'), inpatient ? h('th', { scope: 'col' }, 'POA') : null, h('th', { scope: 'col' }, 'Origin')),
            ),
            h(
              'tbody',
              {},
              review.finalCodes.map((/** @type {any} */ f, /** @type {number} */ i) =>
                h(
                  'tr',
                  {},
                  h('td', { class: 'num' }, String(i + 1)),
                  h('td', {}, h('code', {}, f.code)),
                  h('td', {}, f.title),
                  inpatient ? h('td', {}, f.poa ?? '') : null,
                  h('td', {}, f.origin === 'replacement' ? `replaces ${f.suggestedCode}` : f.origin),
                ),
              ),
            ),
          )
        : h('p', {}, 'No codes: every suggestion was rejected or left out.'),
      review.overrides?.length
        ? h('ul', { class: 'flags' }, review.overrides.map((/** @type {any} */ o) => h('li', { class: 'flag flag-info' }, `Override of ${o.editId}: ${o.reason}`)))
        : null,
      shownEdits.length ? h('p', { class: 'hint' }, `${shownEdits.length} warning${shownEdits.length === 1 ? '' : 's'} overridden.`) : null,
    );
  }

  /** The latest saved version's decisions, order, POA and overrides are the starting point; otherwise nothing is decided. */
  function initialState(/** @type {any} */ latest) {
    order = ws.suggestions.filter((/** @type {any} */ s) => s.proposed).map((/** @type {any} */ s) => s.code);
    for (const s of ws.suggestions) {
      // A POA the text states is proposed; the coder confirms or changes it.
      if (s.poaProposal && s.poaProposal.poa !== 'exempt') poa.set(s.code, s.poaProposal.poa);
    }
    if (!latest) return;
    /** @type {string[]} */
    const sequenced = [];
    for (const d of latest.decisions) {
      if (d.action === 'add') {
        const f = latest.finalCodes.find((/** @type {any} */ x) => x.code === d.finalCode);
        added.set(d.finalCode, { code: d.finalCode, title: f?.title ?? '' });
        if (f?.poa && f.poa !== 'exempt') poa.set(`add:${d.finalCode}`, f.poa);
        sequenced[(d.sequence ?? sequenced.length + 1) - 1] = `add:${d.finalCode}`;
        continue;
      }
      if (!suggestionByCode.has(d.suggestedCode)) continue;
      const replacement = d.action === 'replace' ? { code: d.finalCode, title: latest.finalCodes.find((/** @type {any} */ f) => f.code === d.finalCode)?.title ?? '', billable: true } : null;
      decisions.set(d.suggestedCode, { action: d.action, reason: d.reason ?? '', replacement });
      if (d.poa && d.poa !== 'exempt') poa.set(d.suggestedCode, d.poa);
      if (d.sequence) sequenced[d.sequence - 1] = d.suggestedCode;
    }
    const coded = sequenced.filter(Boolean);
    order = [...coded, ...order.filter((k) => !coded.includes(k))];
    for (const o of latest.overrides ?? []) overrides.set(o.editId, o.reason);
  }

  /** @param {'csv' | 'fhir'} format */
  async function exportCodes(format) {
    try {
      const blob = await request('/v1/coding/export', { query: { format, patientId: ws.patient.id }, as: 'blob' });
      download(blob, format === 'csv' ? 'clinote-codes.csv' : 'clinote-codes.fhir.json');
    } catch (e) {
      setStatus(status, `Export failed: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  async function load() {
    ws = await request(pageEncounterId ? `/v1/encounters/${pageEncounterId}/codes` : `/v1/notes/${pageNoteId}/codes`);
    reviewPath = ws.encounter.id ? `/v1/encounters/${ws.encounter.id}/codes/review` : `/v1/notes/${pageNoteId}/codes/review`;
    inpatient = ws.encounter.type === 'inpatient';
    const dates = ws.encounter.end && ws.encounter.end !== ws.encounter.start ? `${formatDate(ws.encounter.start, false)} – ${formatDate(ws.encounter.end, false)}` : formatDate(ws.encounter.start, false);
    byId('review-heading').textContent = `Code review · ${ws.patient.name ?? 'unnamed patient'} · MRN ${ws.patient.mrn} · ${ws.encounter.type} ${ws.notes.length > 1 || ws.encounter.id ? 'encounter' : 'note'} of ${dates}`;
    if (ws.status !== 'processed') {
      setStatus(status, `Not every note is processed yet (${ws.status}); suggestions appear once they are.`, 'error');
      return;
    }
    for (const s of ws.suggestions) suggestionByCode.set(s.code, s);
    const latest = ws.reviews.reduce((/** @type {any} */ a, /** @type {any} */ r) => (!a || r.version > a.version ? r : a), null);
    initialState(latest);

    marks = new Map();
    replace(
      notesEl,
      ws.notes.map((/** @type {any} */ note) => {
        const text = h('div', { class: 'note-text', tabindex: '0', 'aria-label': `${note.kind} note text` });
        const spans = ws.suggestions.flatMap((/** @type {any} */ s) =>
          s.evidence
            .filter((/** @type {any} */ e) => e.noteId === note.id)
            .map((/** @type {any} */ e) => ({ start: e.start, end: e.end, key: `code:${s.code}`, classes: ['hl', 'hl-evidence'], title: `Evidence for ${s.code}` })),
        );
        for (const [key, list] of renderHighlighted(text, note.text, spans, { onSelect: (key) => selectCode(key.slice('code:'.length)) })) marks.set(key, [...(marks.get(key) ?? []), ...list]);
        return h('article', { class: 'note-block' }, h('h3', {}, `${note.kind} · ${formatDate(note.authoredAt)}`), text);
      }),
    );
    placeCards();
    replace(byId('add-code-slot'), codeTypeahead({ label: 'Code to add', onChoose: addCode }).element);
    if (latest) showFinal(latest);
    byId('review').hidden = false;
    const proposed = ws.suggestions.filter((/** @type {any} */ s) => s.proposed).length;
    setStatus(status, `${proposed} proposed code${proposed === 1 ? '' : 's'} from ${ws.notes.length} note${ws.notes.length === 1 ? '' : 's'}${latest ? ` · final code set version ${latest.version} saved` : ' · not reviewed yet'}.`);
    await validate();
  }

  /** What the API needs, or a message and the field to fix. */
  function reviewBody() {
    /** @type {any[]} */
    const body = [];
    const undecided = order.filter((key) => !isAdded(key) && suggestionByCode.get(key)?.proposed && !decisions.get(key));
    if (undecided.length) {
      return { problem: `Decide on every proposed code first: ${undecided.join(', ')} ${undecided.length === 1 ? 'has' : 'have'} no decision (or use "Accept all proposed").`, focus: cards.get(/** @type {string} */ (undecided[0]))?.querySelector('input[type=radio]') };
    }
    const withPoa = (/** @type {string} */ key, /** @type {any} */ decision) => {
      if (!inpatient || isExempt(key)) return decision;
      const value = poa.get(key);
      return value ? { ...decision, poa: value } : decision;
    };
    for (const key of order) {
      if (inpatient && isCoded(key) && !isExempt(key) && !poa.get(key)) {
        return { problem: `Choose the POA indicator of ${finalCodeOf(key) ?? codeOf(key)}.`, focus: cards.get(key)?.querySelector('select.poa-select') };
      }
      if (isAdded(key)) {
        body.push(withPoa(key, { action: 'add', code: codeOf(key) }));
        continue;
      }
      const d = decisions.get(key);
      if (!d) continue;
      if (d.action === 'accept') body.push(withPoa(key, { action: 'accept', code: key }));
      else if (d.action === 'leave') body.push({ action: 'leave', code: key });
      else if (d.action === 'reject') {
        if (!d.reason.trim()) return { problem: `Give a reason for rejecting ${key}.`, focus: document.getElementById(`decision-${key}-reason`) };
        body.push({ action: 'reject', code: key, reason: d.reason.trim() });
      } else {
        if (!d.replacement) return { problem: `Choose the replacement for ${key}.`, focus: cards.get(key)?.querySelector('.combo input') };
        body.push(withPoa(key, { action: 'replace', code: key, replacement: d.replacement.code, ...(d.reason ? { reason: d.reason } : {}) }));
      }
    }
    // Candidates decided on outside the sequence (rejected or left out) are recorded too.
    for (const [code, d] of decisions) {
      if (order.includes(code)) continue;
      if (d.action === 'reject' && d.reason.trim()) body.push({ action: 'reject', code, reason: d.reason.trim() });
      else if (d.action === 'leave') body.push({ action: 'leave', code });
    }
    if (body.length === 0) return { problem: 'Decide on at least one code.', focus: list.querySelector('input[type=radio]') };
    const warningIds = new Set(edits.filter((e) => e.severity === 'warning').map((e) => e.id));
    const sentOverrides = [...overrides].filter(([id, reason]) => warningIds.has(id) && reason.trim()).map(([editId, reason]) => ({ editId, reason: reason.trim() }));
    return { body: { decisions: body, overrides: sentOverrides } };
  }

  /** @param {boolean} next open the next encounter waiting after saving */
  async function save(next) {
    formError.textContent = '';
    const built = reviewBody();
    if (!built.body) {
      formError.textContent = built.problem ?? '';
      /** @type {HTMLElement | null | undefined} */ (built.focus)?.focus();
      return;
    }
    const buttons = /** @type {HTMLButtonElement[]} */ ([byId('review-save'), byId('review-save-next')]);
    for (const b of buttons) b.disabled = true;
    try {
      const review = await request(reviewPath, { method: 'POST', body: built.body });
      dirty = false;
      ws.reviews.push(review);
      showFinal(review, review.edits?.filter((/** @type {ClaimEdit} */ e) => e.severity === 'warning') ?? []);
      if (next) {
        await openNext();
        return;
      }
      setStatus(status, `Saved final code set version ${review.version}.`, 'ok');
      byId('final').scrollIntoView({ block: 'start' });
      byId('final-heading').focus();
    } catch (e) {
      if (e instanceof ApiError && e.problem?.errors?.some((x) => x.path.startsWith('edits/'))) {
        await validate();
        formError.textContent = e.message;
        const firstOverride = /** @type {HTMLInputElement | null} */ (byId('claim-edits-list').querySelector('input.override-reason'));
        if (edits.some((x) => x.severity === 'blocking') || !firstOverride) formError.focus();
        else {
          const empty = /** @type {HTMLInputElement | null} */ (
            [...byId('claim-edits-list').querySelectorAll('input.override-reason')].find((i) => !(/** @type {HTMLInputElement} */ (i).value.trim()))
          );
          (empty ?? firstOverride).focus();
        }
      } else {
        formError.textContent = e instanceof ApiError ? e.message : `Could not save: ${/** @type {Error} */ (e).message}`;
        formError.focus();
      }
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  /** Opens the oldest encounter still waiting (not this one). */
  async function openNext() {
    const page = await request('/v1/coding/worklist', { query: { status: 'awaiting', limit: 5 } });
    const nextItem = page.items.find((/** @type {any} */ i) => (i.encounterId ?? i.noteId) !== (ws.encounter.id ?? pageNoteId));
    if (!nextItem) {
      setStatus(status, 'Saved. No other encounter is waiting for review.', 'ok');
      status.focus();
      return;
    }
    location.assign(nextItem.encounterId ? `/app/coding/encounters/${nextItem.encounterId}` : `/app/coding/${nextItem.noteId}`);
  }

  /** The card the shortcuts act on: the one holding focus, else the first. */
  function currentKey() {
    const li = /** @type {HTMLElement | null} */ (document.activeElement?.closest?.('li.suggestion') ?? list.querySelector('li.suggestion.current'));
    const code = li?.dataset.code;
    if (!code) return order[0] ?? null;
    return cards.has(code) ? code : `add:${code}`;
  }

  /** @param {-1 | 1} step */
  function focusSibling(step) {
    const visible = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('#suggestions li.suggestion, #below-threshold[open] li.suggestion')]);
    const current = /** @type {HTMLElement | null} */ (document.activeElement?.closest?.('li.suggestion') ?? null);
    const index = current ? visible.indexOf(current) : -1;
    const target = visible[Math.min(visible.length - 1, Math.max(0, index + step))];
    /** @type {HTMLElement | null | undefined} */ (target?.querySelector('.code-button'))?.focus();
  }

  function toggleHelp() {
    if (help.open) help.close();
    else help.showModal();
  }

  document.addEventListener('keydown', (event) => {
    if (byId('review').hidden) return;
    if (event.key === 'Enter' && event.ctrlKey) {
      event.preventDefault();
      void save(event.shiftKey);
      return;
    }
    if (help.open || event.ctrlKey || event.metaKey || isTextEntry(event.target)) return;
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      const key = currentKey();
      if (key && order.includes(key)) {
        event.preventDefault();
        moveCard(key, event.key === 'ArrowUp' ? -1 : 1);
      }
      return;
    }
    if (event.altKey) return;
    // Arrow keys inside a radio group change the decision (native); elsewhere they move between codes.
    const onRadio = event.target instanceof HTMLInputElement && event.target.type === 'radio';
    const key = currentKey();
    switch (event.key) {
      case '?':
        event.preventDefault();
        toggleHelp();
        break;
      case 'j':
      case 'ArrowDown':
        if (onRadio && event.key === 'ArrowDown') return;
        event.preventDefault();
        focusSibling(1);
        break;
      case 'k':
      case 'ArrowUp':
        if (onRadio && event.key === 'ArrowUp') return;
        event.preventDefault();
        focusSibling(-1);
        break;
      case 'a':
      case 'l':
        if (!key || isAdded(key)) return;
        event.preventDefault();
        decide(key, event.key === 'a' ? 'accept' : 'leave');
        break;
      case 'r':
        if (!key || isAdded(key)) return;
        event.preventDefault();
        decide(key, 'reject');
        /** @type {HTMLElement | null} */ (document.getElementById(`decision-${key}-reason`))?.focus();
        break;
    }
  });

  byId('review-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void save(false);
  });
  byId('review-save-next').addEventListener('click', () => void save(true));
  byId('accept-all').addEventListener('click', () => {
    const undecided = order.filter((key) => !isAdded(key) && suggestionByCode.get(key)?.proposed && !decisions.get(key));
    for (const key of undecided) decide(key, 'accept');
    setStatus(status, undecided.length ? `Accepted ${undecided.length} proposed code${undecided.length === 1 ? '' : 's'}; check each before saving.` : 'Every proposed code already has a decision.');
  });
  byId('shortcuts-open').addEventListener('click', () => help.showModal());
  byId('export-csv').addEventListener('click', () => void exportCodes('csv'));
  byId('export-fhir').addEventListener('click', () => void exportCodes('fhir'));

  load().catch((e) => setStatus(status, `Could not load the codes: ${/** @type {Error} */ (e).message}`, 'error'));
}
