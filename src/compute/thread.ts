/** The pool thread's side: loads the models once, then runs named tasks until the pool closes. */
import type { ModelLocations } from '../config/paths.ts';
import { installModelFiles } from '../model-files.ts';
import { modelPreloadSteps, preloadModels } from '../preload.ts';
import { computeTasks, type ComputeTaskName } from './tasks/index.ts';

export interface TaskMessage {
  readonly task: string;
  readonly input: unknown;
}

/** What crosses back to the caller: a value, or the error's name and message (class identity does not cross threads). */
export type TaskReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly name: string; readonly message: string };

export interface ThreadOptions {
  /** Load every model before taking the first task, so no task pays for a model load. */
  readonly preload: boolean;
  /** Where this thread's loaders find their models: the pool's Config, not this thread's environment. */
  readonly models: ModelLocations;
}

export function runNamedTask(message: TaskMessage): Promise<TaskReply> {
  const run = computeTasks[message.task as ComputeTaskName] as ((input: unknown) => unknown) | undefined;
  if (!run) return Promise.resolve({ ok: false, name: 'UnknownTaskError', message: `No compute task "${message.task}"` });
  return Promise.resolve()
    .then(() => run(message.input))
    .then(
      (value): TaskReply => ({ ok: true, value }),
      (error: unknown): TaskReply => {
        const e = error instanceof Error ? error : new Error(String(error));
        return { ok: false, name: e.name, message: e.message };
      },
    );
}

export async function initializeThread(options: ThreadOptions): Promise<(message: TaskMessage) => Promise<TaskReply>> {
  installModelFiles(options.models);
  if (options.preload) await preloadModels(modelPreloadSteps());
  return runNamedTask;
}
