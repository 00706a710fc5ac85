// @ts-check
/** Find a patient by any part of the name (accents and case ignored) or an MRN prefix, or register one; wires the PatientPicker markup of pages.tsx. */
import { ApiError, request } from './api.js';
import { byId, formatDate, h, replace, setStatus } from './dom.js';

/**
 * @typedef {object} Patient
 * @property {string} id
 * @property {string} mrn
 * @property {string | null} name
 * @property {string | null} birthDate
 * @property {string | null} sex
 */

/** @param {Patient} p */
export const patientLabel = (p) => `${p.name ?? 'Unnamed'} · MRN ${p.mrn}${p.birthDate ? ` · born ${formatDate(p.birthDate, false)}` : ''}${p.sex ? ` · ${p.sex}` : ''}`;

/**
 * @param {{ onSelect: (patient: Patient) => void, onChange?: () => void, selectLabel?: string }} options
 *   `onChange` runs when the user asks to change patient, before another is chosen.
 * @returns {{ select: (patient: Patient) => void }}
 */
export function patientPicker({ onSelect, onChange, selectLabel = 'Select' }) {
  const selected = byId('patient-selected');
  const choose = byId('patient-choose');
  const results = byId('patient-results');
  const status = byId('patient-status');
  const query = /** @type {HTMLInputElement} */ (byId('patient-query'));

  /** @param {Patient} patient */
  function select(patient) {
    replace(
      selected,
      h('p', {}, h('strong', {}, patient.name ?? 'Unnamed patient'), ` · MRN ${patient.mrn}`, patient.birthDate ? ` · born ${formatDate(patient.birthDate, false)}` : '', patient.sex ? ` · ${patient.sex}` : ''),
      h('button', { type: 'button', class: 'secondary', onclick: change }, 'Change patient'),
    );
    selected.hidden = false;
    choose.hidden = true;
    onSelect(patient);
  }

  function change() {
    onChange?.();
    selected.hidden = true;
    choose.hidden = false;
    query.focus();
  }

  /** @param {Patient[]} patients */
  function show(patients) {
    replace(
      results,
      patients.map((p) =>
        h('li', {}, h('span', {}, patientLabel(p)), h('button', { type: 'button', class: 'secondary', 'aria-label': `${selectLabel} ${p.name ?? p.mrn}`, onclick: () => select(p) }, selectLabel)),
      ),
    );
  }

  /** Counts searches, so an older answer arriving late never replaces a newer one. */
  let searches = 0;

  /** @param {string} q */
  async function search(q) {
    const ticket = ++searches;
    setStatus(status, 'Searching…');
    try {
      const page = await request('/v1/patients', { query: { q, limit: 20 } });
      if (ticket !== searches) return;
      /** @type {Patient[]} */
      const patients = page.items;
      show(patients);
      setStatus(status, patients.length === 0 ? 'No patient matches.' : `${patients.length} patient${patients.length === 1 ? '' : 's'}.`);
    } catch (e) {
      setStatus(status, `Search failed: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  byId('patient-search').addEventListener('submit', (event) => {
    event.preventDefault();
    void search(query.value.trim());
  });

  const create = /** @type {HTMLFormElement | null} */ (document.getElementById('patient-create'));
  create?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = byId('patient-create-error');
    error.textContent = '';
    const data = new FormData(create);
    /** @type {Record<string, string>} */
    const body = {};
    for (const [k, v] of data.entries()) if (typeof v === 'string' && v.trim()) body[k] = v.trim();
    try {
      const patient = await request('/v1/patients', { method: 'POST', body });
      create.reset();
      /** @type {HTMLDetailsElement} */ (byId('patient-new')).open = false;
      select(patient);
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 409 ? 'A patient with this MRN already exists: search for it instead.' : `Could not register: ${/** @type {Error} */ (e).message}`;
    }
  });

  void search('');
  return { select };
}
