import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env.ts';
import { ProblemError } from '../../problem.ts';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bodies read as text (JSON and text/*); images, audio and forms are binary and checked by their own decoders. */
const isTextBody = (contentType: string | undefined) => !!contentType && /^\s*(application\/([\w.+-]+\+)?json|text\/)/i.test(contentType);

/** Whether any string in a parsed JSON value holds a NUL (keys included). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\0') || holdsNul(v));
  return false;
}

/**
 * Text a request carries must be valid UTF-8 without NUL characters, so it can be stored as PostgreSQL text and is
 * never silently altered: a malformed percent-escape or invalid UTF-8 in the URL, invalid UTF-8 in a JSON or text
 * body (decoded with a fatal decoder instead of the default replacement) or a NUL anywhere is a 400 before any
 * route sees it. Runs after the body limit, so reading the body here is bounded.
 */
export const requestText = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const url = c.req.url;
    const target = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    let decodedTarget: string;
    try {
      decodedTarget = decodeURIComponent(target);
    } catch {
      throw new ProblemError('bad-request', 'The URL holds a malformed percent-escape or bytes that are not UTF-8.');
    }
    if (decodedTarget.includes('\0')) throw new ProblemError('bad-request', 'The URL holds a NUL character.');

    if (c.req.raw.body && isTextBody(c.req.header('content-type'))) {
      let text: string;
      try {
        text = fatalUtf8.decode(await c.req.arrayBuffer());
      } catch {
        throw new ProblemError('bad-request', 'The body is not valid UTF-8.');
      }
      // A JSON string can spell NUL as an escape, so a body that might hold one is parsed to be sure.
      const nul = text.includes('\0') || (/\\u0000/i.test(text) && holdsNul(tryParse(text)));
      if (nul) throw new ProblemError('bad-request', 'The body holds a NUL character.');
      // Later readers (validators, handlers) get exactly the text checked here.
      (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    }
    await next();
  });

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // malformed JSON is the validator's 400
  }
}
