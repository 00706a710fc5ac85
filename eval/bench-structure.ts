/**
 * Structuring speed on one core: every ACI-BENCH note (train and valid) and every distinct MTSamples
 * transcription in the shared data, structured one after another in this process after a warm-up that loads
 * the lexicons. Wall-clock per note gives p50/p99; per-note CPU time is reported too, because on a shared
 * machine wall-clock time also counts the time other processes held the core.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../models/lexicons/build/sources.ts';
import { structureNote } from '../src/clinical/structure.ts';
import { readAciNotes } from './sections-data.ts';

export function benchmarkNotes(sharedDir: string): string[] {
  const aciDir = path.join(sharedDir, 'eval', 'aci-bench');
  const aci = ['train', 'valid'].flatMap((split) => readAciNotes(aciDir, split).map((n) => n.text));
  const mtsamplesFile = path.join(sharedDir, 'eval', 'mtsamples-partial', 'timarbende_DataScienceHW_mtsamples_subset401_noheader.csv');
  const mtsamples = [...new Set(parseCsv(readFileSync(mtsamplesFile, 'utf8')).map((row) => (row[4] ?? '').trim()).filter((t) => t.length > 0))];
  return [...aci, ...mtsamples];
}

export interface BenchResult {
  notes: number;
  passes: number;
  meanWords: number;
  loadMs: number;
  notesPerSecond: number;
  notesPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Per-note CPU time of this process: unaffected by other processes competing for the cores. */
  p50CpuMs: number;
  p99CpuMs: number;
  /** Throughput scaled to 500-word notes (time grows about linearly with length). */
  notesPerSecondAt500Words: number;
}

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function benchStructure(notes: ReadonlyArray<string>, passes: number, onNote?: () => void): BenchResult {
  const loadStart = performance.now();
  structureNote('Warm-up: no chest pain. Lisinopril 10 mg daily.');
  const loadMs = performance.now() - loadStart;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const note of notes) {
      const t = performance.now();
      const c = process.cpuUsage();
      structureNote(note);
      const used = process.cpuUsage(c);
      times.push(performance.now() - t);
      cpuTimes.push((used.user + used.system) / 1000);
      onNote?.();
    }
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const sorted = [...times].sort((a, b) => a - b);
  const sortedCpu = [...cpuTimes].sort((a, b) => a - b);
  const meanWords = notes.reduce((a, n) => a + n.split(/\s+/).filter(Boolean).length, 0) / notes.length;
  const notesPerSecond = times.length / wallSeconds;
  return {
    notes: notes.length,
    passes,
    meanWords,
    loadMs,
    notesPerSecond,
    notesPerCpuSecond: times.length / cpuSeconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    p50CpuMs: percentile(sortedCpu, 50),
    p99CpuMs: percentile(sortedCpu, 99),
    notesPerSecondAt500Words: (notesPerSecond * meanWords) / 500,
  };
}
