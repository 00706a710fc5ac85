// @ts-check
/**
 * Unsubmitted notes kept in this browser (localStorage), so a revoked or expired key, a closed tab or a crash
 * never loses what a doctor typed. One draft per person (the key's label and role, which a replacement key keeps)
 * and patient. Drafts never leave the browser: they are not sent to the server until the note is submitted.
 * They are deleted on submit, on "Discard", on sign-out, and after a day.
 */

const PREFIX = 'clinote.draft.';
const MAX_AGE_MS = 24 * 3600_000;

/**
 * @typedef {object} Draft
 * @property {string} text
 * @property {string} kind
 * @property {boolean} dictation
 * @property {string} savedAt ISO time
 */

/** @param {import('./api.js').Principal} principal */
const ownerOf = (principal) => `${principal.role}:${principal.label}`;

/**
 * @param {import('./api.js').Principal} principal
 * @param {string} patientId
 */
const storageKey = (principal, patientId) => `${PREFIX}${encodeURIComponent(ownerOf(principal))}.${patientId}`;

/**
 * @param {import('./api.js').Principal} principal
 * @param {string} patientId
 * @returns {Draft | null}
 */
export function loadDraft(principal, patientId) {
  const raw = localStorage.getItem(storageKey(principal, patientId));
  if (!raw) return null;
  try {
    const draft = /** @type {Draft} */ (JSON.parse(raw));
    return typeof draft.text === 'string' && draft.text.trim() ? draft : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the draft, or forgets it when the text is blank.
 * @param {import('./api.js').Principal} principal
 * @param {string} patientId
 * @param {Omit<Draft, 'savedAt'>} draft
 */
export function saveDraft(principal, patientId, draft) {
  if (!draft.text.trim()) return discardDraft(principal, patientId);
  try {
    localStorage.setItem(storageKey(principal, patientId), JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: the text is still on screen; nothing else to do.
  }
}

/**
 * @param {import('./api.js').Principal} principal
 * @param {string} patientId
 */
export function discardDraft(principal, patientId) {
  localStorage.removeItem(storageKey(principal, patientId));
}

/**
 * Forgets drafts older than a day, and all of one person's drafts when given (sign-out).
 * @param {import('./api.js').Principal} [principal]
 */
export function purgeDrafts(principal) {
  const ownPrefix = principal ? `${PREFIX}${encodeURIComponent(ownerOf(principal))}.` : null;
  for (const key of Object.keys(localStorage)) {
    if (!key.startsWith(PREFIX)) continue;
    let stale = ownPrefix !== null && key.startsWith(ownPrefix);
    try {
      stale ||= Date.now() - Date.parse(JSON.parse(localStorage.getItem(key) ?? '{}').savedAt) > MAX_AGE_MS;
    } catch {
      stale = true;
    }
    if (stale) localStorage.removeItem(key);
  }
}
