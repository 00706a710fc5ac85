// @ts-check
/** Doctor: pick a patient, write or paste a dictated note, submit, and see it structured beside its text. */
import { poll, request } from './api.js';
import { byId, download, h, percent, replace, setStatus } from './dom.js';
import { startPage } from './layout.js';
import { patientPicker } from './patient-picker.js';
import { structureView } from './structure-view.js';

/** @typedef {import('./patient-picker.js').Patient} Patient */

const principal = startPage();
if (principal) {
  /** @type {Patient | null} */
  let patient = null;
  const form = /** @type {HTMLFormElement} */ (byId('note-form'));
  const textArea = /** @type {HTMLTextAreaElement} */ (byId('note-text'));
  const dictation = /** @type {HTMLInputElement} */ (byId('note-dictation'));
  const submit = /** @type {HTMLButtonElement} */ (byId('note-submit'));
  const error = byId('note-error');
  const result = byId('note-result');
  const status = byId('note-status');
  const output = byId('note-output');

  const picker = patientPicker({
    selectLabel: 'Write for',
    onSelect: (p) => {
      patient = p;
      submit.disabled = false;
      // Never leave one patient's note on screen beside another patient.
      result.hidden = true;
      replace(output);
      const url = new URL(location.href);
      url.searchParams.set('patient', p.id);
      history.replaceState(null, '', url);
      textArea.focus();
    },
  });
  const preselected = new URLSearchParams(location.search).get('patient');
  if (preselected && /^[0-9a-f-]{36}$/i.test(preselected)) {
    request(`/v1/patients/${preselected}`).then(picker.select, () => undefined);
  }

  function syncDictation() {
    textArea.classList.toggle('dictation', dictation.checked);
    textArea.placeholder = dictation.checked
      ? 'patient is a 67 year old woman with type two diabetes period new paragraph medications colon metformin 500 milligrams twice daily period'
      : 'Assessment: 67-year-old woman with type 2 diabetes… Medications: metformin 500 mg PO BID…';
  }
  dictation.addEventListener('change', syncDictation);
  syncDictation();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!patient) {
      error.textContent = 'Choose a patient first.';
      return;
    }
    const text = textArea.value;
    if (!text.trim()) {
      error.textContent = 'The note is empty.';
      textArea.focus();
      return;
    }
    submit.disabled = true;
    try {
      const kind = /** @type {HTMLSelectElement} */ (byId('note-kind')).value;
      const accepted = await request(`/v1/patients/${patient.id}/notes`, { method: 'POST', body: { text, kind, source: dictation.checked ? 'dictation' : 'typed' } });
      result.hidden = false;
      replace(output);
      setStatus(status, 'Submitted. Structuring the note…');
      const note = await poll(async () => {
        const n = await request(`/v1/notes/${accepted.noteId}`);
        return n.status === 'processed' || n.status === 'failed' ? n : undefined;
      });
      if (!note) setStatus(status, 'Still processing: the note is saved; look at it again from the patient chart later.', 'error');
      else if (note.status === 'failed') setStatus(status, `Processing failed: ${note.error ?? 'unknown error'}. The note is saved.`, 'error');
      else showNote(note);
    } catch (e) {
      error.textContent = `Could not submit: ${/** @type {Error} */ (e).message}`;
    } finally {
      submit.disabled = false;
    }
  });

  /** @param {any} note */
  function showNote(note) {
    const structure = note.results?.structure;
    const suggestions = note.results?.codes?.suggestions ?? [];
    setStatus(status, structure ? 'Processed.' : 'Processed, but without a structure: the text and code suggestions are shown.', structure ? 'ok' : 'error');
    replace(
      output,
      structure ? structureView(note.text, structure) : h('div', { class: 'note-text' }, note.text),
      codeList(suggestions),
      h(
        'div',
        { class: 'form-actions' },
        structure ? h('button', { type: 'button', class: 'secondary', onclick: () => void downloadFhir(note.id) }, 'Download FHIR bundle') : null,
        h('a', { class: 'button-link secondary', href: `/app/chart/${note.patientId}` }, 'Open the patient chart'),
      ),
      structure ? h('p', { class: 'hint' }, 'The FHIR bundle is an R4 document: Composition with the sections, Conditions, MedicationStatements, AllergyIntolerances and Observations.') : null,
    );
    result.focus();
  }

  /** @param {string} noteId */
  async function downloadFhir(noteId) {
    try {
      download(await request(`/v1/notes/${noteId}/fhir`, { as: 'blob' }), `note-${noteId}.fhir.json`);
    } catch (e) {
      setStatus(status, `FHIR export failed: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  /** @param {any[]} suggestions */
  function codeList(suggestions) {
    return h(
      'section',
      { class: 'code-summary', 'aria-label': 'Suggested ICD-10-CM codes' },
      h('h3', {}, 'Suggested ICD-10-CM codes'),
      h('p', { class: 'notice', role: 'note' }, h('strong', {}, "Suggestions need a coder's review."), ' They are not final codes.'),
      suggestions.length
        ? h(
            'ul',
            { class: 'plain-list' },
            suggestions.filter((s) => s.proposed).map((s) => h('li', {}, h('code', {}, s.code), ` ${s.title} `, h('span', { class: 'item-detail' }, percent(s.score)))),
          )
        : h('p', { class: 'hint' }, 'No codes suggested.'),
    );
  }
}
