import type { Command } from 'commander';
import { sharedDataDir } from '../../config/paths.ts';
import { printResult, printTable, ProgressBar } from '../output.ts';
import { commandGroup } from '../program.ts';

export function register(program: Command): void {
  commandGroup(program, 'bench')
    .command('structure')
    .description('Note structuring speed on one core over the ACI-BENCH and MTSamples notes, learned mention finder included as in the service: notes/s, p50/p99 ms per note')
    .option('--passes <n>', 'times to run over the whole set', '3')
    .option('--without-finder', 'time the lexicon rules alone (structureNote), without the learned mention finder')
    .action(async (options: { passes: string; withoutFinder?: boolean }) => {
      const { benchmarkNotes, benchStructure } = await import('../../../eval/bench-structure.ts');
      const { learnedFinder } = await import('../../notes/learned-finder-files.ts');
      const finder = options.withoutFinder ? null : await learnedFinder();
      const notes = benchmarkNotes(sharedDataDir());
      const passes = Math.max(1, Number(options.passes));
      const progress = new ProgressBar('structure', notes.length * passes);
      const r = await benchStructure(notes, passes, finder, () => progress.tick());
      progress.finish();
      printTable([
        {
          notes: r.notes,
          passes: r.passes,
          mean_words: Math.round(r.meanWords),
          load_ms: Math.round(r.loadMs),
          notes_per_s: r.notesPerSecond,
          notes_per_cpu_s: r.notesPerCpuSecond,
          p50_ms: r.p50Ms,
          p99_ms: r.p99Ms,
          p50_cpu_ms: r.p50CpuMs,
          p99_cpu_ms: r.p99CpuMs,
          notes_per_s_at_500_words: r.notesPerSecondAt500Words,
        },
      ]);
      printResult({
        suite: 'bench-structure',
        finder: finder !== null,
        notes: r.notes,
        notes_per_s: Number(r.notesPerSecond.toFixed(1)),
        p50_ms: Number(r.p50Ms.toFixed(3)),
        p99_ms: Number(r.p99Ms.toFixed(3)),
        notes_per_cpu_s: Number(r.notesPerCpuSecond.toFixed(1)),
        p50_cpu_ms: Number(r.p50CpuMs.toFixed(3)),
        p99_cpu_ms: Number(r.p99CpuMs.toFixed(3)),
        mean_words: Math.round(r.meanWords),
        notes_per_s_at_500_words: Number(r.notesPerSecondAt500Words.toFixed(1)),
        load_ms: Math.round(r.loadMs),
      });
    });
}
