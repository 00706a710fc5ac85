import type { Note } from './types.ts';

/**
 * A note goes through an ordered list of stages (structuring, coding, indexing, …). Each stage's
 * output is stored on the note under its name; later stages see earlier outputs.
 */
export interface NoteStage {
  readonly name: string;
  /** Bump when the stage's output changes, so stored notes are reprocessed. */
  readonly version: string;
  run(note: Readonly<Note>, earlier: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** The pipeline version is derived from its stages: it changes exactly when a stage does. */
export function pipelineVersionOf(stages: ReadonlyArray<Pick<NoteStage, 'name' | 'version'>>): string {
  return stages.map((s) => `${s.name}@${s.version}`).join('+') || 'empty';
}

/**
 * A stage output already serialised to JSON (on a compute thread): stored and passed on as it is, so the thread
 * serving HTTP never rebuilds or re-serialises a large object graph. Later stages get the text.
 */
export class JsonText {
  constructor(readonly json: string) {}
}

/** Every stage's output as one JSON object text, keyed by stage name (JsonText outputs spliced in as they are). */
export function stageResultsJson(results: Readonly<Record<string, unknown>>): string {
  const members = Object.entries(results)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${JSON.stringify(name)}:${value instanceof JsonText ? value.json : JSON.stringify(value)}`);
  return `{${members.join(',')}}`;
}

/** Runs the stages in order and returns every stage's output keyed by stage name. */
export async function runNoteStages(note: Readonly<Note>, stages: readonly NoteStage[]): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const stage of stages) results[stage.name] = await stage.run(note, results);
  return results;
}
