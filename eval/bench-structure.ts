/**
 * Structuring speed on one core: every ACI-BENCH note (train and valid) and every distinct MTSamples
 * transcription in the shared data, structured one after another in this process after a warm-up that loads
 * the lexicons (and the learned mention finder, which the service runs inside structuring, when given). Wall-clock per note gives p50/p99; per-note CPU time is reported too, because on a shared
 * machine wall-clock time also counts the time other processes held the core.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../models/lexicons/build/sources.ts';
import { structureNote, structureNoteWithLearnedFinder, type LearnedFinder } from '../src/notes/structuring/structure.ts';
import { readAciNotes } from './sections-data.ts';

export function benchmarkNotes(sharedDir: string): string[] {
  const aciDir = path.join(sharedDir, 'eval', 'aci-bench');
  const aci = ['train', 'valid'].flatMap((split) => readAciNotes(aciDir, split).map((n) => n.text));
  const mtsamplesFile = path.join(sharedDir, 'eval', 'mtsamples-partial', 'timarbende_DataScienceHW_mtsamples_subset401_noheader.csv');
  const mtsamples = [...new Set(parseCsv(readFileSync(mtsamplesFile, 'utf8')).map((row) => (row[4] ?? '').trim()).filter((t) => t.length > 0))];
  return [...aci, ...mtsamples];
}

export interface BenchResult extends Omit<NoteTimings, 'n'> {
  /** Distinct notes (each timed once per pass). */
  notes: number;
  passes: number;
  loadMs: number;
  /** Throughput scaled to 500-word notes (time grows about linearly with length). */
  notesPerSecondAt500Words: number;
}

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Per-note timing of one piece of work over the benchmark notes, shared by the structuring and NER benches. */
export interface NoteTimings {
  /** Notes timed (notes × passes). */
  n: number;
  meanWords: number;
  notesPerSecond: number;
  notesPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Per-note CPU time of this process: unaffected by other processes competing for the cores. */
  p50CpuMs: number;
  p99CpuMs: number;
}

export async function timeNotes(
  notes: ReadonlyArray<string>,
  passes: number,
  work: (note: string) => unknown,
  onNote?: () => void,
): Promise<NoteTimings> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const note of notes) {
      const t = performance.now();
      const c = process.cpuUsage();
      await work(note);
      const used = process.cpuUsage(c);
      times.push(performance.now() - t);
      cpuTimes.push((used.user + used.system) / 1000);
      onNote?.();
    }
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return {
    n: times.length,
    meanWords: notes.reduce((a, n) => a + n.split(/\s+/).filter(Boolean).length, 0) / notes.length,
    notesPerSecond: times.length / wallSeconds,
    notesPerCpuSecond: times.length / ((cpu.user + cpu.system) / 1e6),
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    p50CpuMs: percentile(cpuTimes, 50),
    p99CpuMs: percentile(cpuTimes, 99),
  };
}

export async function benchStructure(notes: ReadonlyArray<string>, passes: number, finder: LearnedFinder | null, onNote?: () => void): Promise<BenchResult> {
  const structure = finder ? (text: string) => structureNoteWithLearnedFinder(text, finder) : structureNote;
  const loadStart = performance.now();
  await structure('Warm-up: no chest pain. Lisinopril 10 mg daily.');
  const loadMs = performance.now() - loadStart;
  const { n: _n, ...t } = await timeNotes(notes, passes, structure, onNote);
  return { notes: notes.length, passes, loadMs, ...t, notesPerSecondAt500Words: (t.notesPerSecond * t.meanWords) / 500 };
}
