import type { Command } from 'commander';
import { CommandInputError, withRuntime } from '../runtime.ts';

interface SearchOptions {
  k: string;
  since?: string;
  until?: string;
  section?: string;
  kind?: string;
  mode: string;
  json?: boolean;
}

const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);

function date(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new CommandInputError(`--${name} must be an ISO date such as 2024-03-01`);
  return d;
}

/** Passage text with highlights in «», for a terminal. */
function marked(text: string, highlights: ReadonlyArray<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const h of highlights) {
    if (h.start < at) continue;
    out += `${text.slice(at, h.start)}«${text.slice(h.start, h.end)}»`;
    at = h.end;
  }
  return (out + text.slice(at)).replace(/\s+/g, ' ').trim();
}

export function register(program: Command): void {
  program
    .command('search')
    .description(
      "Search one patient's history (hybrid full-text + semantic, exact within the patient): passages with note date, section, highlights (query words, synonyms, abbreviations) and whether the passage denies the concept. The read is audited.",
    )
    .argument('<patient>', 'patient id or MRN')
    .argument('<query>', 'question or keywords, e.g. "last HbA1c" or "history of DVT"')
    .option('-k, --k <n>', 'passages to show', '10')
    .option('--since <date>', 'only notes dated on or after this ISO date')
    .option('--until <date>', 'only notes dated before this ISO date')
    .option('--section <list>', 'comma-separated sections (plan, medications, results …)')
    .option('--kind <list>', 'comma-separated note kinds (progress, fhir-record …)')
    .option('--mode <mode>', 'hybrid, or a baseline: lexical (BM25 only) or semantic (vectors only)', 'hybrid')
    .option('--json', 'print one JSON object per passage instead of text')
    .action(async (patientRef: string, query: string, opts: SearchOptions) => {
      await withRuntime({ purpose: 'clinote search', defaultLogLevel: 'warn' }, async (runtime) => {
        const k = Number(opts.k);
        if (!Number.isInteger(k) || k < 1 || k > 100) throw new CommandInputError('--k must be an integer from 1 to 100');
        if (!['hybrid', 'lexical', 'semantic'].includes(opts.mode)) throw new CommandInputError('--mode must be hybrid, lexical or semantic');
        const { sectionTypes } = await import('../../notes/structuring/section-catalog.ts');
        const sections = list(opts.section);
        const unknown = sections?.filter((s) => !(sectionTypes as readonly string[]).includes(s));
        if (unknown?.length) throw new CommandInputError(`unknown section ${unknown.join(', ')}; one of ${sectionTypes.join(', ')}`);
        const { findPatientByRef, auditOperatorAccess } = await import('../../history/operator-access-service.ts');
        const patient = await findPatientByRef(runtime.db, patientRef);
        if (!patient) throw new CommandInputError(`No patient with id or MRN ${patientRef}`);
        const { searchPatientHistory } = await import('../../history/search-service.ts');
        const { getEmbedder } = await import('../../ml/embedder.ts');
        const hits = await searchPatientHistory(runtime.db, await getEmbedder(), patient.id, {
          text: query,
          k,
          since: date(opts.since, 'since'),
          until: date(opts.until, 'until'),
          sections: sections as typeof sectionTypes[number][] | undefined,
          kinds: list(opts.kind),
          mode: opts.mode as 'hybrid',
        });
        await auditOperatorAccess(runtime.db, 'history.search', [patient.id], { k, hits: hits.length });
        if (opts.json) {
          for (const h of hits) process.stdout.write(JSON.stringify(h) + '\n');
          return;
        }
        if (hits.length === 0) process.stdout.write('No matching passages.\n');
        hits.forEach((h, i) => {
          const flags = h.negated ? '  [denies the query concept]' : '';
          process.stdout.write(`${i + 1}. ${h.noteDate.toISOString().slice(0, 10)}  ${h.noteKind}  ${h.sectionTitle}  score ${h.score.toFixed(4)}${flags}\n`);
          process.stdout.write(`   ${marked(h.text, h.highlights)}\n   note ${h.noteId} [${h.start}, ${h.end})\n`);
        });
      });
    });
}
