import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { structureNote } from '../clinical/index.ts';
import { modelLocations } from '../config/paths.ts';
import { prepareNoteIndex } from '../history/indexing.ts';
import { codeNote } from '../icd10/note-codes.ts';
import { getEmbedder } from '../ml/embedder.ts';
import { ComputeTaskError, createComputePool } from './pool.ts';

const text =
  'Chief complaint: chest pain for two days.\nHistory: hypertension and type 2 diabetes. Denies fever.\n' +
  'Medications: lisinopril 10 mg by mouth daily; metformin 500 mg twice daily.\nAssessment: atypical chest pain, hypertension.\n';

describe('compute pool', () => {
  const pool = createComputePool({ threads: 1, preload: false, models: modelLocations() });
  afterAll(() => pool.close());

  it('runs named tasks on a thread with the same results as on the calling thread', async () => {
    const { structureJson, llmError } = await pool.runTask('structure-note', { text, source: 'typed', llm: null });
    expect(llmError).toBeNull();
    const structure = structureNote(text, { source: 'typed' });
    expect(JSON.parse(structureJson)).toEqual(JSON.parse(JSON.stringify(structure)));
    const codes = await pool.runTask('code-note', { text, structureJson });
    expect(codes).toEqual(codeNote(text, structure));
    const authoredAt = new Date('2026-03-01T08:00:00Z');
    const index = await pool.runTask('index-note', { text, source: 'typed', kind: 'progress', authoredAt, structureJson });
    const here = await prepareNoteIndex(await getEmbedder(), { text, kind: 'progress', authoredAt }, structure);
    expect(index.passages.map(({ embedding, ...p }) => p)).toEqual(here.passages.map(({ embedding, ...p }) => p));
    expect(index.passages.every((p) => p.embedding instanceof Float32Array && p.embedding.length === here.model.dimension)).toBe(true);
    expect(index.facts).toEqual(here.facts);
    expect(index.model).toEqual(here.model);
    // Without the structuring stage's output, the note is structured on the thread: same passages.
    const unstructured = await pool.runTask('index-note', { text, source: 'typed', kind: 'progress', authoredAt, structureJson: null });
    expect(unstructured.passages.map((p) => p.text)).toEqual(here.passages.map((p) => p.text));
    const embedded = await pool.runTask('embed-texts', { texts: ['chest pain', ''] });
    expect(embedded.vectors).toHaveLength(2);
    expect(embedded.vectors[0]).toBeInstanceOf(Float32Array);
    expect(embedded.vectors[0]!.length).toBe(embedded.dimension);
  });

  it('keeps the calling thread free while a thread does heavy work', async () => {
    const long = text.repeat(150); // ~40 kB, the size of the notes that stalled the embedded server
    await pool.runTask('code-note', { text: 'warm-up' });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const { structureJson } = await pool.runTask('structure-note', { text: long, source: 'typed', llm: null });
    await pool.runTask('code-note', { text: long, structureJson });
    await pool.runTask('index-note', { text: long, source: 'typed', kind: 'progress', authoredAt: new Date(), structureJson });
    const busyMs = performance.now() - started;
    delay.disable();
    // The work took a while, yet the event loop never waited for it.
    expect(busyMs).toBeGreaterThan(200);
    expect(delay.max / 1e6).toBeLessThan(100);
  });

  it('reports a failing or unknown task as a ComputeTaskError and goes on working', async () => {
    const error = await pool.runTask('nope' as 'code-note', { text }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeTaskError);
    expect((error as ComputeTaskError).errorName).toBe('UnknownTaskError');
    expect((await pool.runTask('embed-texts', { texts: [] })).vectors).toEqual([]);
  });

  it('drops an aborted task and stays usable', async () => {
    const controller = new AbortController();
    const running = pool.runTask('structure-note', { text: text.repeat(200), source: 'typed', llm: null }, { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    expect((await pool.runTask('code-note', { text })).suggestions.length).toBeGreaterThan(0);
  });

  it('runs tasks on the calling thread with zero threads', async () => {
    const inline = createComputePool({ threads: 0, preload: false, models: modelLocations() });
    expect((await inline.runTask('code-note', { text })).suggestions).toEqual(codeNote(text).suggestions);
    await inline.close();
    await expect(inline.runTask('code-note', { text })).rejects.toThrow(/closed/);
  });
});
