import { ConfigError, loadConfig, type Config } from '../config/env.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import { acquireEmbeddedLock, EmbeddedDatabaseBusyError } from '../db/embedded-lock.ts';
import type { Runtime } from '../runtime.ts';

/** Errors whose message is meant for the operator as is (no stack trace). */
const operatorErrors = [ConfigError, DatabaseUnavailableError, EmbeddedDatabaseBusyError];

/** Prints an operator-facing error and sets a failing exit code; rethrows programming errors. */
export function reportCommandError(error: unknown): void {
  if (operatorErrors.some((E) => error instanceof E) || (error as Error)?.name === 'CommandInputError') {
    process.stderr.write(`clinote: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  throw error;
}

/** Raised by commands for bad arguments or input files; printed without a stack trace. */
export class CommandInputError extends Error {
  override readonly name = 'CommandInputError';
}

export interface RuntimeCommandOptions {
  /** Log level for this command when LOG_LEVEL is not set (commands are quieter than the server). */
  defaultLogLevel?: string;
  purpose: string;
  /** Migrate the database on opening (default true). */
  migrate?: boolean;
}

/** Opens the runtime (with the embedded-database lock when on PGlite), runs `fn`, closes everything. */
export async function withRuntime<T>(options: RuntimeCommandOptions, fn: (runtime: Runtime) => Promise<T>): Promise<T | undefined> {
  let release: (() => void) | undefined;
  let runtime: Runtime | undefined;
  let failure: { error: unknown } | undefined;
  let result: T | undefined;
  try {
    const config: Config = loadConfig({ LOG_LEVEL: options.defaultLogLevel ?? 'warn', ...process.env });
    if (config.storage === 'pglite') release = acquireEmbeddedLock(config.dataDir, options.purpose);
    // Loaded on use: the runtime pulls in both database drivers and the queue client.
    const { openRuntime } = await import('../runtime.ts');
    runtime = await openRuntime(config, { migrate: options.migrate ?? true });
    result = await fn(runtime);
  } catch (error) {
    failure = { error };
  } finally {
    await runtime?.close();
    release?.();
  }
  // Reported after closing: PGlite's WASM runtime resets process.exitCode when it shuts down.
  if (failure) reportCommandError(failure.error);
  return result;
}
