// @ts-check
import { ApiError, currentSession, signIn } from './api.js';
import { byId } from './dom.js';
import { HOME_BY_ROLE } from './layout.js';

/**
 * Where to go after signing in: the `next` page when it is one of ours (never another origin), else the role's page.
 * @param {import('./api.js').Role} role
 */
function destination(role) {
  const next = new URLSearchParams(location.search).get('next');
  if (next && /^\/app\/[^/\\]/.test(next) && !next.startsWith('/app/signin')) return next;
  return HOME_BY_ROLE[role] ?? '/app/';
}

const form = /** @type {HTMLFormElement} */ (byId('signin'));
const input = /** @type {HTMLInputElement} */ (byId('api-key'));
const error = byId('signin-error');

const existing = currentSession();
if (existing) location.replace(destination(existing.principal.role));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const key = input.value.trim();
  if (!key) return;
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  button.disabled = true;
  try {
    const principal = await signIn(key);
    location.assign(destination(principal.role));
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? 'That key is not valid or has been revoked.' : `Sign-in failed: ${/** @type {Error} */ (e).message}`;
    input.select();
    button.disabled = false;
  }
});
input.focus();
