// @ts-check
/** Doctor: pick a patient, write or paste a dictated note, submit, and see it structured beside its text. */
import { poll, request } from './api.js';
import { byId, download, formatDate, h, percent, replace, setStatus } from './dom.js';
import { discardDraft, loadDraft, saveDraft } from './drafts.js';
import { startPage } from './layout.js';
import { patientLabel, patientPicker } from './patient-picker.js';
import { structureView } from './structure-view.js';

/** @typedef {import('./patient-picker.js').Patient} Patient */

let principal = startPage();
if (principal) {
  /** @type {Patient | null} */
  let patient = null;
  /** Bumped on every change of patient, so a late answer about one patient never lands beside another. */
  let generation = 0;
  const form = /** @type {HTMLFormElement} */ (byId('note-form'));
  const textArea = /** @type {HTMLTextAreaElement} */ (byId('note-text'));
  const dictation = /** @type {HTMLInputElement} */ (byId('note-dictation'));
  const submit = /** @type {HTMLButtonElement} */ (byId('note-submit'));
  const error = byId('note-error');
  const result = byId('note-result');
  const status = byId('note-status');
  const output = byId('note-output');
  const kindSelect = /** @type {HTMLSelectElement} */ (byId('note-kind'));
  const noteFor = byId('note-for');
  const draftStatus = byId('draft-status');
  const draftHint = draftStatus.textContent ?? '';

  window.addEventListener('clinote:session-restored', (event) => {
    principal = /** @type {CustomEvent} */ (event).detail;
  });

  /**
   * One Idempotency-Key per version of the note: a second click after a lost answer cannot file it twice, and
   * any edit makes it a new note. (getRandomValues, unlike randomUUID, works on plain-HTTP deployments too.)
   */
  const newIdempotencyKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  let idempotencyKey = newIdempotencyKey();

  /** Keeps what is typed for the chosen patient in this browser (see drafts.js). */
  function keepDraft() {
    idempotencyKey = newIdempotencyKey();
    if (!patient || !principal) return;
    saveDraft(principal, patient.id, { text: textArea.value, kind: kindSelect.value, dictation: dictation.checked });
  }
  for (const input of [textArea, kindSelect, dictation]) input.addEventListener('input', keepDraft);

  /** The note form for one patient, or for none: Submit only ever sends to the patient named beside it. */
  function showPatient() {
    submit.disabled = !patient;
    noteFor.textContent = patient ? `For ${patientLabel(patient)}` : 'No patient chosen: choose one before writing';
    noteFor.classList.toggle('unset', !patient);
  }

  /** Fills the form from this patient's unsubmitted draft, if there is one. */
  function restoreDraft() {
    const draft = patient && principal ? loadDraft(principal, patient.id) : null;
    textArea.value = draft?.text ?? '';
    if (draft) {
      kindSelect.value = draft.kind;
      dictation.checked = draft.dictation;
      syncDictation();
      const forPatient = patient;
      replace(
        draftStatus,
        `Restored your unsubmitted draft from ${formatDate(draft.savedAt)}. `,
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: () => {
              if (forPatient && principal) discardDraft(principal, forPatient.id);
              textArea.value = '';
              draftStatus.textContent = draftHint;
              textArea.focus();
            },
          },
          'Discard draft',
        ),
      );
    } else {
      draftStatus.textContent = draftHint;
    }
  }

  const picker = patientPicker({
    selectLabel: 'Write for',
    onSelect: (p) => {
      patient = p;
      generation++;
      // Never leave one patient's note on screen beside another patient.
      result.hidden = true;
      replace(output);
      error.textContent = '';
      const url = new URL(location.href);
      url.searchParams.set('patient', p.id);
      history.replaceState(null, '', url);
      showPatient();
      restoreDraft();
      textArea.focus();
    },
    onChange: () => {
      // The text belongs to the patient it was written for: keep it as that patient's draft and clear the form.
      keepDraft();
      patient = null;
      generation++;
      textArea.value = '';
      draftStatus.textContent = draftHint;
      result.hidden = true;
      replace(output);
      error.textContent = '';
      const url = new URL(location.href);
      url.searchParams.delete('patient');
      history.replaceState(null, '', url);
      showPatient();
    },
  });
  showPatient();
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
    if (!patient || !principal) {
      error.textContent = 'Choose a patient first.';
      return;
    }
    const forPatient = patient;
    const forGeneration = generation;
    const text = textArea.value;
    if (!text.trim()) {
      error.textContent = 'The note is empty.';
      textArea.focus();
      return;
    }
    submit.disabled = true;
    textArea.readOnly = true;
    let accepted;
    try {
      accepted = await request(`/v1/patients/${forPatient.id}/notes`, {
        method: 'POST',
        // The server refuses the note if this is not the patient in the path (wrong-patient guard).
        body: { text, kind: kindSelect.value, source: dictation.checked ? 'dictation' : 'typed', patientId: forPatient.id },
        headers: { 'Idempotency-Key': idempotencyKey },
      });
    } catch (e) {
      error.textContent = `Could not submit: ${/** @type {Error} */ (e).message}${/** @type {any} */ (e).status === 401 ? ' Your text is kept.' : ''}`;
      textArea.readOnly = false;
      showPatient();
      return;
    }
    // Accepted: the note is saved on the server, so the form is emptied (no second submission) and the draft forgotten.
    discardDraft(principal, forPatient.id);
    idempotencyKey = newIdempotencyKey();
    textArea.value = '';
    textArea.readOnly = false;
    draftStatus.textContent = draftHint;
    showPatient();
    result.hidden = false;
    replace(output);
    setStatus(status, `Note for ${forPatient.name ?? `MRN ${forPatient.mrn}`} accepted and saved. Structuring it…`);
    result.focus();
    try {
      const note = await poll(async () => {
        if (forGeneration !== generation) return null;
        const n = await request(`/v1/notes/${accepted.noteId}`);
        return n.status === 'processed' || n.status === 'failed' ? n : undefined;
      });
      if (note === null) return; // another patient was chosen meanwhile
      if (!note) setStatus(status, 'Still processing: the note is saved; look at it again from the patient chart later.', 'error');
      else if (note.status === 'failed') setStatus(status, `Processing failed: ${note.error ?? 'unknown error'}. The note is saved.`, 'error');
      else showNote(note);
    } catch (e) {
      if (forGeneration === generation) setStatus(status, `The note is saved, but its result could not be fetched: ${/** @type {Error} */ (e).message}`, 'error');
    }
  });

  /** @param {any} note */
  function showNote(note) {
    const structure = note.results?.structure;
    const suggestions = note.results?.codes?.suggestions ?? [];
    setStatus(status, structure ? 'Processed.' : 'Processed, but without a structure: the text and code suggestions are shown.', structure ? 'ok' : 'error');
    replace(
      output,
      codeList(suggestions),
      structure ? structureView(note.text, structure) : h('div', { class: 'note-text' }, note.text),
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
    const proposed = suggestions.filter((s) => s.proposed);
    return h(
      'section',
      { class: 'code-summary', 'aria-label': 'Suggested ICD-10-CM codes' },
      h('h3', {}, 'Suggested ICD-10-CM codes ', h('span', { class: 'hint' }, "· Suggestions need a coder's review; they are not final codes.")),
      proposed.length
        ? h(
            'ul',
            { class: 'code-chips' },
            proposed.map((s) => h('li', {}, h('code', {}, s.code), ` ${s.title} `, h('span', { class: 'item-detail', title: s.confidenceBasis ?? '' }, s.confidence ? `${s.confidence} confidence` : percent(s.score)))),
          )
        : h('p', { class: 'hint' }, 'No codes suggested.'),
    );
  }
}
