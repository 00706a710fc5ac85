// @ts-check
import { ApiError, currentSession, redirectToSignIn, SESSION_ENDED, signIn, signInUrl, signOut } from './api.js';
import { byId, h, replace } from './dom.js';
import { purgeDrafts } from './drafts.js';

/** @typedef {import('./api.js').Principal} Principal */
/** @typedef {import('./api.js').Role} Role */

/** Each role's landing page. */
export const HOME_BY_ROLE = /** @type {Record<Role, string>} */ ({
  doctor: '/app/note',
  coder: '/app/coding',
  clinician: '/app/chart',
  radiologist: '/app/imaging',
  admin: '/app/admin',
});

/**
 * Shows the navigation entries for the principal's role and wires sign-out.
 * @param {Principal} principal
 */
function showSession(principal) {
  for (const item of document.querySelectorAll('nav li[data-roles]')) {
    const roles = /** @type {HTMLElement} */ (item).dataset.roles?.split(' ') ?? [];
    /** @type {HTMLElement} */ (item).hidden = !roles.includes(principal.role);
  }
  byId('session').hidden = false;
  byId('session-who').textContent = `${principal.label} (${principal.role})`;
  byId('sign-out').addEventListener('click', () => {
    if (!mayLeave()) return;
    // A deliberate sign-out on a shared workstation leaves no patient text behind.
    purgeDrafts(currentSession()?.principal ?? principal);
    leaving = true;
    signOut();
    location.assign('/app/signin');
  });
}

/** Pages with unsaved work register a check here; leaving asks first. */
/** @type {Array<() => string | null>} */
const unsavedChecks = [];
/** Set once the user has agreed to leave, so beforeunload does not ask a second time. */
let leaving = false;

const unsavedWork = () => unsavedChecks.map((check) => check()).find((reason) => reason) ?? null;

/** Asks before leaving when something is unsaved; true when the page may be left. */
function mayLeave() {
  const reason = unsavedWork();
  return !reason || confirm(`${reason} Leave this page anyway?`);
}

/**
 * Warns before the page is left (closing, reloading, links in the page, sign-out) while `check` returns a reason,
 * such as "Your coding decisions are not saved."
 * @param {() => string | null} check
 */
export function guardUnsaved(check) {
  if (unsavedChecks.length === 0) {
    window.addEventListener('beforeunload', (event) => {
      if (!leaving && unsavedWork()) event.preventDefault();
    });
    document.addEventListener('click', (event) => {
      const link = /** @type {Element} */ (event.target).closest?.('a[href]');
      if (!link || link.hasAttribute('download') || /** @type {HTMLAnchorElement} */ (link).target === '_blank') return;
      if (mayLeave()) leaving = true;
      else event.preventDefault();
    });
  }
  unsavedChecks.push(check);
}

/**
 * The API refused the key mid-work: say so, keep the page as it is, and let the user sign in again right here
 * (or on the sign-in page, which brings them back).
 */
function showSessionEnded() {
  if (document.getElementById('session-ended')) return;
  byId('session').hidden = true;
  const input = h('input', { id: 'reauth-key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const error = h('p', { class: 'error', id: 'reauth-error' });
  const banner = h(
    'section',
    { id: 'session-ended', class: 'session-ended', role: 'alertdialog', 'aria-labelledby': 'session-ended-heading', 'aria-describedby': 'session-ended-text', tabindex: '-1' },
    h('h2', { id: 'session-ended-heading' }, 'Your session ended'),
    h(
      'p',
      { id: 'session-ended-text' },
      'The API key was revoked or has expired, so nothing more was sent. What is on this page stays here; unsubmitted notes are also kept in this browser. Sign in again to go on.',
    ),
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          error.textContent = '';
          try {
            const principal = await signIn(input.value.trim());
            const allowed = document.body.dataset.roles?.split(' ').filter(Boolean) ?? [];
            if (allowed.length > 0 && !allowed.includes(principal.role)) {
              location.reload(); // another role: the page explains what it may do
              return;
            }
            byId('session-who').textContent = `${principal.label} (${principal.role})`;
            byId('session').hidden = false;
            banner.remove();
            window.dispatchEvent(new CustomEvent('clinote:session-restored', { detail: principal }));
          } catch (e) {
            error.textContent = e instanceof ApiError && e.status === 401 ? 'That key is not valid or has been revoked.' : `Sign-in failed: ${/** @type {Error} */ (e).message}`;
          }
        },
      },
      h('label', { for: 'reauth-key' }, 'API key'),
      input,
      h('button', { type: 'submit' }, 'Sign in again'),
    ),
    error,
    h('p', { class: 'hint' }, 'Or ', h('a', { href: signInUrl() }, 'go to the sign-in page'), '; it brings you back here.'),
  );
  byId('main').prepend(banner);
  banner.focus();
}

/**
 * Starts a page: sends the user to sign-in without a session, and explains instead of failing when the
 * role may not use the page. Returns the principal when the page may run.
 * @returns {Principal | null}
 */
export function startPage() {
  purgeDrafts();
  window.addEventListener(SESSION_ENDED, showSessionEnded);
  const session = currentSession();
  if (!session) {
    redirectToSignIn();
    return null;
  }
  showSession(session.principal);
  const allowed = document.body.dataset.roles?.split(' ').filter(Boolean) ?? [];
  if (allowed.length > 0 && !allowed.includes(session.principal.role)) {
    const home = HOME_BY_ROLE[session.principal.role];
    replace(
      byId('main'),
      h('h1', {}, document.title.replace(/ · Clinote$/, '')),
      h('p', { class: 'error' }, `This page is for ${allowed.join(' or ')} keys; you are signed in as ${session.principal.role}.`),
      h('p', {}, h('a', { href: home }, 'Go to your page')),
    );
    return null;
  }
  return session.principal;
}
