import type { Command } from 'commander';
import { CommandInputError, withRuntime } from '../runtime.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function register(program: Command): void {
  program
    .command('summary')
    .description(
      "A patient's consultation summary: active problems (first/last mentioned), current medications, allergies, latest vitals, lab trends and recent notes, each with its source note. The read is audited.",
    )
    .argument('<patient>', 'patient id or MRN')
    .option('--json', 'print the summary as one JSON object')
    .action(async (patientRef: string, opts: { json?: boolean }) => {
      await withRuntime({ purpose: 'clinote summary', defaultLogLevel: 'warn' }, async (runtime) => {
        const { findPatientByRef, auditOperatorAccess } = await import('../../history/operator-access-service.ts');
        const patient = await findPatientByRef(runtime.db, patientRef);
        if (!patient) throw new CommandInputError(`No patient with id or MRN ${patientRef}`);
        const { loadPatientSummary } = await import('../../history/summary-service.ts');
        const { formatNumber } = await import('../../history/fhir/record-text.ts');
        const measured = (value: number | null, text: string | null, unit: string | null, components?: unknown[] | null) => {
          const parts = (components as Array<{ value: number }> | null | undefined)?.map((c) => formatNumber(c.value));
          const shown = parts?.length ? parts.join('/') : value !== null ? formatNumber(value) : (text ?? '');
          return `${shown}${unit ? ` ${unit}` : ''}`;
        };
        const s = await loadPatientSummary(runtime.db, patient.id);
        await auditOperatorAccess(runtime.db, 'history.summary', [patient.id]);
        if (opts.json) {
          process.stdout.write(JSON.stringify(s) + '\n');
          return;
        }
        const out: string[] = [`${patient.name ?? '(no name)'}  MRN ${patient.mrn}${patient.birthDate ? `  born ${patient.birthDate}` : ''}`];
        const section = (title: string, lines: string[]) => out.push('', `${title}:`, ...(lines.length ? lines.map((l) => `  - ${l}`) : ['  (none recorded)']));
        const problemLine = (p: (typeof s.problems)[number]) => `${p.display}${p.aliases.length ? ` [also ${p.aliases.join(', ')}]` : ''}  (first ${day(p.firstMentioned)}, last ${day(p.lastMentioned)}, ${p.mentions}×)`;
        section('Active problems', s.problems.filter((p) => !p.pastOnly).map(problemLine));
        section('Past history', s.problems.filter((p) => p.pastOnly).map(problemLine));
        section('Current medications', s.medications.map((m) => `${m.display}${m.status ? `  [${m.status}]` : ''}  (last ${day(m.lastMentioned)})`));
        section(
          'Allergies',
          s.allergies.length ? s.allergies.map((a) => `${a.display}${a.reactions.length ? `: ${a.reactions.join(', ')}` : ''}`) : s.noKnownAllergies ? ['No known allergies'] : [],
        );
        section('Latest vitals', s.vitals.map((v) => `${v.display}: ${measured(v.value, v.valueText, v.unit, v.components)}  (${day(v.observedAt)})`));
        section(
          'Lab trends',
          s.labs.map((l) => `${l.display}: ${l.points.slice(-5).map((p) => `${measured(p.value, p.valueText, p.unit)} (${day(p.observedAt)})`).join(' → ')}`),
        );
        section('Recent notes', s.recentNotes.map((n) => `${day(n.authoredAt)}  ${n.kind}  ${n.author}  ${n.id}`));
        process.stdout.write(out.join('\n') + '\n');
      });
    });
}
