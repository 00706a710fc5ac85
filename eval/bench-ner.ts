/**
 * Speed of the learned mention finder on one core, over the same notes as `clinote bench structure` (ACI-BENCH
 * and MTSamples): per-note wall and CPU time of findMentions (tokens, gazetteer features, the ONNX network on one
 * thread, CRF decoding), after a warm-up that loads the lexicons and the model.
 */
import { findMentions, type NerModel } from '../src/notes/structuring/ner/model.ts';
import { timeNotes, type NoteTimings } from './bench-structure.ts';

export interface NerBenchResult extends Omit<NoteTimings, 'n'> {
  /** Notes timed (notes × passes). */
  notes: number;
  mentionsPerNote: number;
}

export async function benchNer(model: NerModel, notes: ReadonlyArray<string>, passes: number, onNote?: () => void): Promise<NerBenchResult> {
  await findMentions(model, 'Warm-up: no chest pain. Lisinopril 10 mg daily for hypertension.');
  let mentions = 0;
  const { n, ...t } = await timeNotes(notes, passes, async (note) => (mentions += (await findMentions(model, note)).length), onNote);
  return { notes: n, ...t, mentionsPerNote: mentions / n };
}
