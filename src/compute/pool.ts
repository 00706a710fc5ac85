/**
 * The compute pool: CPU-heavy work (note structuring, coding, embedding, image work) runs on worker threads so
 * the thread that serves HTTP only serves HTTP. Callers name a task from `tasks/index.ts` and pass its input:
 *
 *   const codes = await runtime.compute.runTask('code-note', { text, structure }, { signal });
 *
 * Threads start on first use (or `start()`), load the models once each, and live as long as the pool. They run
 * at a lower scheduling priority than the request thread (nice +5), so on a busy machine HTTP answers first.
 * With `threads: 0` tasks run on the calling thread (one-shot CLI commands, where a thread would only add
 * start-up time).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ModelLocations } from '../config/paths.ts';
import type { ComputeTaskInput, ComputeTaskName, ComputeTaskOutput } from './tasks/index.ts';
import type { TaskMessage, TaskReply, ThreadOptions } from './thread.ts';

export interface RunTaskOptions {
  /** Aborting a queued task drops it; aborting a running one stops its thread (a new one replaces it). */
  readonly signal?: AbortSignal;
}

export interface ComputePool {
  /** Threads in the pool (0: tasks run on the calling thread). */
  readonly threads: number;
  runTask<N extends ComputeTaskName>(name: N, input: ComputeTaskInput<N>, options?: RunTaskOptions): Promise<ComputeTaskOutput<N>>;
  /** Tasks waiting for a free thread. */
  queued(): number;
  /** Starts the threads now (they load their models) instead of on the first task. */
  start(): void;
  /** Waits for running tasks, then stops the threads. */
  close(): Promise<void>;
}

export interface ComputePoolOptions {
  /** Worker threads; 0 runs tasks on the calling thread. */
  readonly threads: number;
  /** Each thread loads every model before its first task. */
  readonly preload: boolean;
  /** Where the threads load their models from (the runtime's Config). */
  readonly models: ModelLocations;
}

/** A task failed on its thread: the original error's name and message (class identity does not cross threads). */
export class ComputeTaskError extends Error {
  override readonly name = 'ComputeTaskError';
  constructor(
    readonly task: string,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The default size: one thread per core. */
export const defaultComputeThreads = () => availableParallelism();

const threadEntry = new URL('./thread-entry.mjs', import.meta.url).href;

export function createComputePool(options: ComputePoolOptions): ComputePool {
  let piscina: Piscina<TaskMessage, TaskReply> | undefined;
  let closed = false;
  const pool = () => {
    piscina ??= new Piscina<TaskMessage, TaskReply>({
      filename: threadEntry,
      minThreads: options.threads,
      maxThreads: options.threads,
      // Threads hold loaded models: never let them go idle-exit and pay the load again.
      idleTimeout: Infinity,
      niceIncrement: 5,
      workerData: { preload: options.preload, models: options.models } satisfies ThreadOptions,
    });
    return piscina;
  };

  const unwrap = <T>(task: string, reply: TaskReply): T => {
    if (!reply.ok) throw new ComputeTaskError(task, reply.name, reply.message);
    return reply.value as T;
  };

  return {
    threads: options.threads,
    async runTask(name, input, runOptions = {}) {
      if (closed) throw new Error('The compute pool is closed');
      const message: TaskMessage = { task: name, input };
      if (options.threads === 0) {
        runOptions.signal?.throwIfAborted();
        const { runNamedTask } = await import('./thread.ts');
        return unwrap(name, await runNamedTask(message));
      }
      return unwrap(name, await pool().run(message, { signal: runOptions.signal ?? null }));
    },
    queued: () => piscina?.queueSize ?? 0,
    start() {
      if (options.threads > 0 && !closed) pool();
    },
    async close() {
      if (closed) return;
      closed = true;
      await piscina?.close();
    },
  };
}
