import path from 'node:path';
import type { Command } from 'commander';
import { modelLocations, sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

const fixed = (x: number, digits: number) => Number(x.toFixed(digits));

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('ner')
    .description('Learned disease/chemical mention finder speed on one core over the `bench structure` notes: ms and notes/s')
    .option('--passes <n>', 'times to run over the whole set', '1')
    .action(async (options: { passes: string }) => {
      const [{ benchmarkNotes }, { benchNer }, { loadNerModel }] = await Promise.all([
        import('../../../eval/bench-structure.ts'),
        import('../../../eval/bench-ner.ts'),
        import('../../notes/structuring/ner/ner-files.ts'),
      ]);
      const notes = benchmarkNotes(sharedDataDir());
      const passes = Math.max(1, Number(options.passes));
      const model = await loadNerModel(path.join(modelLocations().modelsDir, 'ner'));
      const progress = new ProgressBar('ner', notes.length * passes);
      const r = await benchNer(model, notes, passes, () => progress.tick());
      progress.finish();
      printTable([
        {
          notes: r.notes,
          mean_words: Math.round(r.meanWords),
          mentions_per_note: r.mentionsPerNote,
          notes_per_s: r.notesPerSecond,
          notes_per_cpu_s: r.notesPerCpuSecond,
          p50_ms: r.p50Ms,
          p99_ms: r.p99Ms,
          p50_cpu_ms: r.p50CpuMs,
          p99_cpu_ms: r.p99CpuMs,
        },
      ]);
      printResult({
        suite: 'bench-ner',
        notes: r.notes,
        mean_words: Math.round(r.meanWords),
        notes_per_s: fixed(r.notesPerSecond, 1),
        notes_per_cpu_s: fixed(r.notesPerCpuSecond, 1),
        p50_ms: fixed(r.p50Ms, 3),
        p99_ms: fixed(r.p99Ms, 3),
        p50_cpu_ms: fixed(r.p50CpuMs, 3),
        p99_cpu_ms: fixed(r.p99CpuMs, 3),
      });
    });
}
