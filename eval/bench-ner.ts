/**
 * Speed of the learned mention finder on one core, over the same notes as `clinote bench structure` (ACI-BENCH
 * and MTSamples): per-note wall and CPU time of findMentions (tokens, gazetteer features, the ONNX network on one
 * thread, CRF decoding), after a warm-up that loads the lexicons and the model.
 */
import { findMentions, type NerModel } from '../src/clinical/ner/index.ts';

export interface NerBenchResult {
  notes: number;
  meanWords: number;
  mentionsPerNote: number;
  notesPerSecond: number;
  notesPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  p50CpuMs: number;
  p99CpuMs: number;
}

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchNer(model: NerModel, notes: ReadonlyArray<string>, passes: number, onNote?: () => void): Promise<NerBenchResult> {
  await findMentions(model, 'Warm-up: no chest pain. Lisinopril 10 mg daily for hypertension.');
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let mentions = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (let pass = 0; pass < passes; pass++) {
    for (const note of notes) {
      const t = performance.now();
      const c = process.cpuUsage();
      mentions += (await findMentions(model, note)).length;
      const used = process.cpuUsage(c);
      times.push(performance.now() - t);
      cpuTimes.push((used.user + used.system) / 1000);
      onNote?.();
    }
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const n = notes.length * passes;
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return {
    notes: n,
    meanWords: notes.reduce((s, t) => s + t.split(/\s+/).filter(Boolean).length, 0) / notes.length,
    mentionsPerNote: mentions / n,
    notesPerSecond: n / wallSeconds,
    notesPerCpuSecond: n / ((cpu.user + cpu.system) / 1e6),
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    p50CpuMs: percentile(cpuTimes, 50),
    p99CpuMs: percentile(cpuTimes, 99),
  };
}
