/**
 * Speed of the ICD-10 functions on one core: code suggestions for the CodiEsp dev notes (structured
 * beforehand, so the figure excludes structuring, as the note pipeline structures once for all stages),
 * typeahead search and code lookup. Warm: the code set, search index, term index and ranker are loaded first.
 */
import { structureNote } from '../src/notes/structuring/structure.ts';
import { getCode, searchCodes } from '../src/coding/icd10/code-lookup.ts';
import { suggestCodes } from '../src/coding/icd10/suggest.ts';
import { readCodiEspSplit } from '../src/coding/icd10/training/codiesp-files.ts';

export interface Icd10BenchResult {
  notes: number;
  suggest_p50_ms: number;
  suggest_p99_ms: number;
  /** CPU time of this process per note: what one core spends, whatever else the machine is running. */
  suggest_cpu_p50_ms: number;
  search_queries: number;
  search_p50_ms: number;
  search_p99_ms: number;
  code_p50_ms: number;
}

const typeaheadQueries = ['e11', 'diab', 'diabetes mel', 'chest pa', 'fracture of fem', 'fract neck fem', 'pneumonia', 'S72.0', 'hyperten', 'renal fail', 'copd', 'lung cancer', 'acetaminophen adv', 'z85', 'urinary tract inf'];

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(3));
}

function timeEach<T>(items: ReadonlyArray<T>, run: (item: T) => unknown): number[] {
  const times = items.map((item) => {
    const started = performance.now();
    run(item);
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b);
}

function cpuTimeEach<T>(items: ReadonlyArray<T>, run: (item: T) => unknown): number[] {
  const times = items.map((item) => {
    const started = process.cpuUsage();
    run(item);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  });
  return times.sort((a, b) => a - b);
}

export function benchIcd10(codiEspDir: string, split = 'dev', top = 20): Icd10BenchResult {
  const notes = readCodiEspSplit(codiEspDir, split).map((d) => ({ text: d.english, structured: structureNote(d.english) }));
  suggestCodes(notes[0]!, { top });
  for (const q of typeaheadQueries) searchCodes(q);
  const suggest = timeEach(notes, (note) => suggestCodes(note, { top }));
  const suggestCpu = cpuTimeEach(notes, (note) => suggestCodes(note, { top }));
  const rounds = Array.from({ length: 20 }, () => typeaheadQueries).flat();
  const search = timeEach(rounds, (q) => searchCodes(q, { limit: 10 }));
  const lookups = timeEach(Array.from({ length: 200 }, (_, i) => ['S72.001A', 'E11.9', 'I10', 'J18.9', 'Z85.3'][i % 5]!), (c) => getCode(c));
  return {
    notes: notes.length,
    suggest_p50_ms: percentile(suggest, 0.5),
    suggest_p99_ms: percentile(suggest, 0.99),
    suggest_cpu_p50_ms: percentile(suggestCpu, 0.5),
    search_queries: rounds.length,
    search_p50_ms: percentile(search, 0.5),
    search_p99_ms: percentile(search, 0.99),
    code_p50_ms: percentile(lookups, 0.5),
  };
}
