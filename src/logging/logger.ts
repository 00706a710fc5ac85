import { pino, type Logger } from 'pino';

export type { Logger };

/** Names, codes and class names look like this; anything else (a sentence, a value) may carry input. */
const IDENTIFIER = /^[A-Za-z_$][\w$.:-]{0,80}$/;

/**
 * An error as it may be logged: class name, code and stack frames, never the message. Messages are built from
 * input (a query value, a version name, a note's text in a parser's complaint), so they stay in the response to
 * the caller, who sent them, and out of the logs.
 */
export function errorSummary(error: unknown): { name: string; code?: string; at?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 6)
    .map((line) => line.trim())
    .join(' | ');
  return {
    name: IDENTIFIER.test(error.name) ? error.name : 'Error',
    ...(typeof code === 'string' && IDENTIFIER.test(code) ? { code } : {}),
    ...(frames ? { at: frames } : {}),
  };
}

/** An `error` field: an Error is summarised; a string is kept only when it is an identifier (an error class name). */
const errorField = (value: unknown) =>
  value instanceof Error ? errorSummary(value) : typeof value === 'string' && IDENTIFIER.test(value) ? value : '[redacted]';

/**
 * JSON logs. Only ids, counts, statuses and timings are logged: never note text, patient names, query strings,
 * bodies or error messages. Errors go through `errorSummary` (the `err` and `error` serializers do it for any
 * caller), and fields that carry input are redacted wherever they appear at the top level or one level down.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const carriesInput = ['text', 'name', 'q', 'query', 'body', 'url', 'message', 'detail', 'purpose', 'authorization', 'token'];
  return pino(
    {
      level,
      base: { service: 'clinote' },
      serializers: { err: errorSummary, error: errorField },
      redact: { paths: carriesInput.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
