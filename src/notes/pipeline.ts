import type { Note } from './types.ts';

/**
 * A note goes through an ordered list of stages (structuring, coding, indexing, …). Each stage's output is stored
 * on the note under its name; later stages see earlier outputs, typed by the pipeline's results record.
 *
 * Validation at stage boundaries, one rule everywhere: a value is validated where it enters from outside this
 * process's own code (an HTTP body, the LLM's reply, a file, a stored row of another version); within one run a
 * stage's output reaches the later stages typed and is not validated again.
 */
export interface NoteStage<Results extends object, Name extends keyof Results & string> {
  readonly name: Name;
  /** Bump when the stage's output changes, so stored notes are reprocessed. */
  readonly version: string;
  run(note: Readonly<Note>, earlier: Readonly<Partial<Results>>): Promise<Results[Name]>;
}

/** Any one stage of a pipeline whose outputs are `Results`. */
export type AnyNoteStage<Results extends object> = { [Name in keyof Results & string]: NoteStage<Results, Name> }[keyof Results & string];

/** The pipeline version is derived from its stages: it changes exactly when a stage does. */
export function pipelineVersionOf(stages: ReadonlyArray<{ readonly name: string; readonly version: string }>): string {
  return stages.map((s) => `${s.name}@${s.version}`).join('+') || 'empty';
}

/**
 * A stage output of type `T` already serialised to JSON (on a compute thread): stored and passed on as it is, so
 * the thread serving HTTP never rebuilds or re-serialises a large object graph. Later stages get the text.
 */
export class JsonText<T> {
  /** Only carries `T` for the compiler. */
  declare readonly valueType?: T;
  constructor(readonly json: string) {}
}

/** Every stage's output as one JSON object text, keyed by stage name (JsonText outputs spliced in as they are). */
export function stageResultsJson(results: object): string {
  const members = Object.entries(results)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${JSON.stringify(name)}:${value instanceof JsonText ? (value as JsonText<unknown>).json : JSON.stringify(value)}`);
  return `{${members.join(',')}}`;
}

/** Runs the stages in order and returns every stage's output keyed by stage name. */
export async function runNoteStages<Results extends object>(note: Readonly<Note>, stages: ReadonlyArray<AnyNoteStage<Results>>): Promise<Partial<Results>> {
  const results: Partial<Results> = {};
  for (const stage of stages) (results as Record<string, unknown>)[stage.name] = await stage.run(note, results);
  return results;
}
