// @ts-check
/**
 * The JSON API from the browser. The API key is kept in sessionStorage (this tab only, gone when it closes;
 * never localStorage) and sent as a bearer token; problem+json errors become ApiError.
 */

const KEY = 'clinote.apiKey';
const PRINCIPAL = 'clinote.principal';

/** @typedef {'doctor' | 'coder' | 'clinician' | 'radiologist' | 'admin'} Role */
/** @typedef {{ keyId: string, label: string, role: Role }} Principal */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ title?: string, detail?: string, errors?: Array<{ path: string, message: string }> }} problem
   */
  constructor(status, problem) {
    const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    super(fields ? `${problem.detail ?? problem.title} (${fields})` : (problem.detail ?? problem.title ?? `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
  }
}

/** @returns {{ key: string, principal: Principal } | null} */
export function currentSession() {
  const key = sessionStorage.getItem(KEY);
  const principal = sessionStorage.getItem(PRINCIPAL);
  if (!key || !principal) return null;
  try {
    return { key, principal: JSON.parse(principal) };
  } catch {
    return null;
  }
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(PRINCIPAL);
}

/**
 * Checks the key with GET /v1/me and keeps it for this tab.
 * @param {string} key
 * @returns {Promise<Principal>}
 */
export async function signIn(key) {
  const principal = /** @type {Principal} */ (await request('/v1/me', { key }));
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(PRINCIPAL, JSON.stringify(principal));
  return principal;
}

/** The sign-in page, coming back to this page afterwards. */
export const signInUrl = () => `/app/signin?next=${encodeURIComponent(location.pathname + location.search)}`;

/** Sends the user to sign in, coming back here afterwards. */
export function redirectToSignIn() {
  location.assign(signInUrl());
}

/** Fired on window when the API refuses the tab's key (revoked or expired): the page says so instead of leaving. */
export const SESSION_ENDED = 'clinote:session-ended';

/**
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
async function errorOf(res) {
  let problem = {};
  try {
    problem = await res.json();
  } catch {
    problem = { title: `HTTP ${res.status}` };
  }
  return new ApiError(res.status, problem);
}

/**
 * @typedef {object} RequestOptions
 * @property {string} [method]
 * @property {unknown} [body] JSON body
 * @property {Record<string, string | number | undefined>} [query]
 * @property {'json' | 'blob' | 'text'} [as]
 * @property {string} [key] a key to use instead of the session's (sign-in)
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 */

/**
 * Calls the API. A 401 (key revoked or expired) ends the session and tells the page (SESSION_ENDED), which keeps
 * what is on screen and offers to sign in again: a silent redirect would throw away work in progress.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
export async function request(path, options = {}) {
  const key = options.key ?? currentSession()?.key;
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  /** @type {Record<string, string>} */
  const headers = { ...(options.headers ?? {}) };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    cache: 'no-store',
  });
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401 && !options.key) {
      signOut();
      window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    }
    throw error;
  }
  if (options.as === 'blob') return res.blob();
  if (options.as === 'text') return res.text();
  return res.status === 204 ? undefined : res.json();
}

/**
 * Polls until `done` returns a value or the time runs out.
 * @template T
 * @param {() => Promise<T | undefined>} check
 * @param {{ intervalMs?: number, timeoutMs?: number }} [options]
 * @returns {Promise<T | undefined>}
 */
export async function poll(check, { intervalMs = 1000, timeoutMs = 180_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
