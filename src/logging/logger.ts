import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Only ids, counts, statuses and timings are logged: never note text, patient names or
 * query strings. The redact list is a second line of defence for fields that must never appear.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'clinote' },
      redact: { paths: ['text', 'name', 'q', 'query', '*.text', '*.name', 'authorization', '*.authorization', 'token'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
