// @ts-check
import { currentSession, redirectToSignIn, signOut } from './api.js';
import { byId, h, replace } from './dom.js';

/** @typedef {import('./api.js').Principal} Principal */
/** @typedef {import('./api.js').Role} Role */

/** Each role's landing page. */
export const HOME_BY_ROLE = /** @type {Record<Role, string | null>} */ ({
  doctor: '/app/note',
  coder: '/app/coding',
  clinician: '/app/chart',
  radiologist: '/app/imaging',
  admin: null,
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
    signOut();
    location.assign('/app/signin');
  });
}

/**
 * Starts a page: sends the user to sign-in without a session, and explains instead of failing when the
 * role may not use the page. Returns the principal when the page may run.
 * @returns {Principal | null}
 */
export function startPage() {
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
      home ? h('p', {}, h('a', { href: home }, 'Go to your page')) : null,
    );
    return null;
  }
  return session.principal;
}
