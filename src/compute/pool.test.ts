import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { structureNote } from '../notes/structuring/structure.ts';
import { modelLocations } from '../config/paths.ts';
import { prepareNoteIndex } from '../history/indexing-service.ts';
import { codeNote } from '../coding/icd10/note-codes.ts';
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
    const embedded = await pool.runTask('embed-texts', { texts: ['chest pain', ''] });
    expect(embedded.vectors).toHaveLength(2);
    expect(embedded.vectors[0]).toBeInstanceOf(Float32Array);
    expect(embedded.vectors[0]!.length).toBe(embedded.dimension);
  });

  /** Structures, codes and indexes a ~40 kB note (the size that stalled the embedded server) through `on`. */
  async function heavyWork(on: ReturnType<typeof createComputePool>): Promise<{ busyMs: number; longestStallMs: number }> {
    const long = text.repeat(150);
    await on.runTask('code-note', { text: 'warm-up' });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // The histogram starts with the loop's first timer run: work in the same turn as enable() would go unseen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    const { structureJson } = await on.runTask('structure-note', { text: long, source: 'typed', llm: null });
    await on.runTask('code-note', { text: long, structureJson });
    await on.runTask('index-note', { text: long, source: 'typed', kind: 'progress', authoredAt: new Date(), structureJson });
    const busyMs = performance.now() - started;
    // A stall is recorded when the loop's timer next runs, so let it run once before reading.
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    return { busyMs, longestStallMs: delay.max / 1e6 };
  }
  // The event loop may wait for the scheduler on a busy machine, never for the work: its longest stall stays a small
  // share of the work's time (run on the calling thread, the longest task alone is a large share of it).
  const stallBound = (busyMs: number) => Math.max(100, busyMs / 5);

  it('keeps the calling thread free while a thread does heavy work', async () => {
    const threaded = await heavyWork(pool);
    expect(threaded.busyMs).toBeGreaterThan(200);
    expect(threaded.longestStallMs).toBeLessThan(stallBound(threaded.busyMs));
    // The same measure catches the work on the calling thread.
    const inline = createComputePool({ threads: 0, preload: false, models: modelLocations() });
    const blocking = await heavyWork(inline).finally(() => inline.close());
    expect(blocking.longestStallMs).toBeGreaterThan(stallBound(blocking.busyMs));
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
