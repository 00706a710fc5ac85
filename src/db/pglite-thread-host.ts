/** The database thread's side of `pglite-thread.ts`: opens PGlite here and answers the calls posted to it. */
import type { MessagePort } from 'node:worker_threads';
import type { Queryable } from './database.ts';
import { openPgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.ts';
import type { PgliteCall, PgliteErrorData, PgliteNotification, PgliteReply, PgliteThreadReady } from './pglite-thread.ts';

function errorData(error: unknown): PgliteErrorData {
  const e = error instanceof Error ? error : new Error(String(error));
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(e)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { ...fields, name: e.name, message: e.message };
}

/** Thrown inside a transaction to roll it back when the caller's function failed on the other thread. */
class CallerRolledBack extends Error {}

export async function serveDatabase(port: MessagePort, options: PgliteDatabaseOptions): Promise<void> {
  let db;
  try {
    db = await openPgliteDatabase(options);
  } catch (error) {
    port.postMessage({ ready: false, error: errorData(error) } satisfies PgliteThreadReady);
    return;
  }
  const database = db;
  const open = new Map<number, { tx: Queryable; end(commit: boolean, replyId: number): void }>();
  /** Listeners by the id of the call that started them. */
  const listening = new Map<number, () => Promise<void>>();
  const reply = (id: number, run: () => Promise<unknown>) =>
    run().then(
      (value) => port.postMessage({ id, ok: true, value } satisfies PgliteReply),
      (error: unknown) => port.postMessage({ id, ok: false, error: errorData(error) } satisfies PgliteReply),
    );
  const target = (tx: number | undefined): Queryable => {
    if (tx === undefined) return database;
    const transaction = open.get(tx);
    if (!transaction) throw new Error(`No open transaction ${tx}`);
    return transaction.tx;
  };

  const begin = (id: number) => {
    let endId = id;
    database
      .transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            open.set(id, {
              tx,
              end(commit, replyId) {
                endId = replyId;
                if (commit) resolve();
                else reject(new CallerRolledBack());
              },
            });
            port.postMessage({ id, ok: true, value: id } satisfies PgliteReply);
          }),
      )
      .then(
        () => port.postMessage({ id: endId, ok: true, value: undefined } satisfies PgliteReply),
        (error: unknown) =>
          port.postMessage(
            error instanceof CallerRolledBack
              ? ({ id: endId, ok: true, value: undefined } satisfies PgliteReply)
              : ({ id: endId, ok: false, error: errorData(error) } satisfies PgliteReply),
          ),
      )
      .finally(() => open.delete(id));
  };

  port.on('message', (message: PgliteCall & { id: number }) => {
    switch (message.op) {
      case 'query':
        return void reply(message.id, async () => target(message.tx).query(message.sql, message.params));
      case 'exec':
        return void reply(message.id, async () => target(message.tx).exec(message.sql));
      case 'begin':
        return begin(message.id);
      case 'end': {
        const transaction = open.get(message.tx);
        if (transaction) transaction.end(message.commit, message.id);
        else port.postMessage({ id: message.id, ok: false, error: errorData(new Error(`No open transaction ${message.tx}`)) } satisfies PgliteReply);
        return;
      }
      case 'listen':
        return void reply(message.id, async () => {
          listening.set(message.id, await database.listen(message.channel, () => port.postMessage({ notify: message.id } satisfies PgliteNotification)));
          return message.id;
        });
      case 'unlisten':
        return void reply(message.id, async () => {
          await listening.get(message.listener)?.();
          listening.delete(message.listener);
        });
      case 'ping':
        return void reply(message.id, () => database.ping());
      case 'dump':
        return void reply(message.id, () => database.dump());
      case 'close':
        // The thread ends once its port is closed and PGlite has written everything.
        return void reply(message.id, () => database.close()).then(() => port.close());
    }
  });
  port.postMessage({ ready: true } satisfies PgliteThreadReady);
}
