/**
 * The named tasks the compute pool runs. Adding one: write `tasks/<name>.ts` exporting a function of one
 * structured-cloneable input (plain data, typed arrays, Buffers) returning such a value or a promise of it,
 * and list it here. The function runs on a pool thread, so it must not touch the database, the queue or the
 * HTTP context; anything it needs comes in its input.
 */
import { codeNoteTask } from './code-note.ts';
import { decodeImageTask } from './decode-image.ts';
import { embedTextsTask } from './embed-texts.ts';
import { indexNoteTask } from './index-note.ts';
import { structureNoteTask } from './structure-note.ts';

export const computeTasks = {
  'structure-note': structureNoteTask,
  'code-note': codeNoteTask,
  'embed-texts': embedTextsTask,
  'index-note': indexNoteTask,
  'decode-image': decodeImageTask,
} as const;

export type ComputeTaskName = keyof typeof computeTasks;
export type ComputeTaskInput<N extends ComputeTaskName> = Parameters<(typeof computeTasks)[N]>[0];
export type ComputeTaskOutput<N extends ComputeTaskName> = Awaited<ReturnType<(typeof computeTasks)[N]>>;
