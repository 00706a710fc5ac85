import type { Command } from 'commander';
import { readInput } from '../output.ts';

export function register(program: Command): void {
  program
    .command('structure')
    .description(
      'Structure a clinical note on-device: sections, problems with ICD-10-CM candidates and context, medications, ' +
        'allergies, vitals and labs, each with offsets into the input; prints the JSON (or a FHIR R4 Bundle with --fhir)',
    )
    .argument('<file>', 'note text file, or - for stdin')
    .option('--fhir', 'print a FHIR R4 document Bundle instead of the structured-note JSON')
    .option('--dictation', 'the input is a dictation transcript: apply spoken punctuation and commands first')
    .option('--patient <id>', 'Patient id for the FHIR references (with --fhir)')
    .action(async (file: string, options: { fhir?: boolean; dictation?: boolean; patient?: string }) => {
      // Loaded on use: the lexicons and the mention finder are only needed by this command.
      const [{ structureText }, { learnedFinder }, { toFhirBundle }] = await Promise.all([
        import('../../notes/structure.ts'),
        import('../../notes/learned-finder-files.ts'),
        import('../../notes/structuring/fhir.ts'),
      ]);
      const text = await readInput(file);
      // The same on-device structuring as POST /v1/structure and the note pipeline (the learned finder included).
      const note = await structureText(text, options.dictation ? 'dictation' : 'typed', null, await learnedFinder());
      const output = options.fhir ? toFhirBundle(note, { text, ...(options.patient ? { patientId: options.patient } : {}) }) : note;
      process.stdout.write(JSON.stringify(output, null, 2) + '\n');
    });
}
