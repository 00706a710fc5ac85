/**
 * PGlite on its own worker thread. PGlite runs PostgreSQL as WASM on whichever thread calls it, so in the embedded
 * server every insert (a note's passages and vectors: up to seconds under a burst) used to stall the thread that
 * answers HTTP. Here the database lives on a thread of its own and the request thread only posts messages to it.
 * It is the same driver behind the same `Database` port: the thread runs `openPgliteDatabase` and answers calls;
 * a transaction stays open on the thread while its statements arrive one message at a time, and statements
 * outside it wait for it there, as PGlite does on one thread.
 */
import { Worker } from 'node:worker_threads';
import type { Queryable } from './database.ts';
import type { PgliteDatabase, PgliteDatabaseOptions } from './pglite-database.ts';

/** A call to the database thread. `tx` names the open transaction a statement belongs to. */
export type PgliteCall =
  | { readonly op: 'query'; readonly sql: string; readonly params?: readonly unknown[] | undefined; readonly tx?: number | undefined }
  | { readonly op: 'exec'; readonly sql: string; readonly tx?: number | undefined }
  | { readonly op: 'begin' }
  | { readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly op: 'listen'; readonly channel: string }
  | { readonly op: 'unlisten'; readonly listener: number }
  | { readonly op: 'ping' }
  | { readonly op: 'dump' }
  | { readonly op: 'close' };

/** An error as it crosses the thread: name, message and the driver's primitive fields (code, detail, constraint…). */
export type PgliteErrorData = Readonly<Record<string, string | number | boolean>> & { readonly name: string; readonly message: string };

export type PgliteReply = { readonly id: number } & ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: PgliteErrorData });

/** A notification for the listener the `listen` call with this id started. */
export interface PgliteNotification {
  readonly notify: number;
}

/** The thread's first message: opened, or why not. */
export type PgliteThreadReady = { readonly ready: true } | { readonly ready: false; readonly error: PgliteErrorData };

/** Rebuilds a thread's error so callers can test `code` (e.g. `isUniqueViolation`) as on one thread. */
export function errorFromData(data: PgliteErrorData): Error {
  const error = new Error(data.message);
  Object.assign(error, data);
  return error;
}

const entry = new URL('./pglite-thread-entry.mjs', import.meta.url);

export function openPgliteThreadDatabase(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
  const worker = new Worker(entry, { workerData: options });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<number, () => void>();
  let nextId = 1;
  let failure: Error | undefined;
  // The thread keeps the process alive only while a call is waiting on it, as an idle socket would not.
  worker.unref();

  const settleAll = (error: Error) => {
    failure ??= error;
    for (const call of pending.values()) call.reject(failure);
    pending.clear();
  };

  const call = <T>(message: PgliteCall): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...message });
    });
  };

  const statements = (tx?: number): Queryable => ({
    query: <T>(sql: string, params?: readonly unknown[]) => call<T[]>({ op: 'query', sql, params, tx }),
    exec: (sql) => call<void>({ op: 'exec', sql, tx }),
  });

  return new Promise<PgliteDatabase>((resolve, reject) => {
    worker.once('message', (first: PgliteThreadReady) => {
      if (!first.ready) {
        reject(errorFromData(first.error));
        void worker.terminate();
        return;
      }
      worker.on('message', (reply: PgliteReply | PgliteNotification) => {
        if ('notify' in reply) return listeners.get(reply.notify)?.();
        const waiting = pending.get(reply.id);
        if (!waiting) return;
        pending.delete(reply.id);
        if (pending.size === 0) worker.unref();
        if (reply.ok) waiting.resolve(reply.value);
        else waiting.reject(errorFromData(reply.error));
      });
      resolve({
        kind: 'pglite',
        ...statements(),
        async transaction(fn) {
          const tx = await call<number>({ op: 'begin' });
          let result;
          try {
            result = await fn(statements(tx));
          } catch (error) {
            await call({ op: 'end', tx, commit: false }).catch(() => undefined);
            throw error;
          }
          await call({ op: 'end', tx, commit: true });
          return result;
        },
        async listen(channel, onNotify) {
          const listener = await call<number>({ op: 'listen', channel });
          listeners.set(listener, onNotify);
          return async () => {
            listeners.delete(listener);
            await call({ op: 'unlisten', listener });
          };
        },
        ping: () => call<boolean>({ op: 'ping' }).catch(() => false),
        dump: () => call<Blob>({ op: 'dump' }),
        async close() {
          if (failure) return;
          await call({ op: 'close' });
          settleAll(new Error('The database is closed'));
          await worker.terminate();
        },
      });
    });
    worker.once('error', (error) => {
      settleAll(error);
      reject(error);
    });
    worker.once('exit', (code) => {
      const error = new Error(`The database thread stopped (exit code ${code})`);
      settleAll(error);
      reject(error);
    });
  });
}
