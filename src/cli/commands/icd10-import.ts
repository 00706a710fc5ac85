import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { printResult } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, reportCommandError } from '../runtime.ts';

export function register(program: Command): void {
  const icd10 = commandGroup(program, 'icd10');
  icd10
    .command('import')
    .description(
      'Import an ICD-10-CM release folder from CMS/CDC (order file *order*.txt + Tabular List *tabular*.xml, optionally index/neoplasm/drug XML) as a new code-set version under CLINOTE_DATA_DIR; select it with CLINOTE_ICD10_VERSION',
    )
    .argument('<path>', 'release folder')
    .option('--version <name>', 'version name (default: FY + the tabular <version>, e.g. FY2026)')
    .option('--index <file...>', 'extra index XML files from outside the folder')
    .action(async (folder: string, opts: { version?: string; index?: string[] }) => {
      try {
        if (!existsSync(folder)) throw new CommandInputError(`${folder} does not exist`);
        const [{ importRelease }, { modelLocations }] = await Promise.all([import('../../coding/icd10/code-set-files.ts'), import('../../config/paths.ts')]);
        printResult({ ...importRelease(folder, { ...modelLocations(), version: opts.version, indexFiles: opts.index }) });
      } catch (error) {
        const { CodeSetError } = await import('../../coding/icd10/release.ts');
        const { XmlSyntaxError } = await import('../../coding/icd10/xml.ts');
        const badRelease = error instanceof CodeSetError || error instanceof XmlSyntaxError;
        reportCommandError(badRelease ? new CommandInputError(error.message) : error);
      }
    });
  icd10
    .command('build-codeset')
    .description('Rebuild the bundled FY2021 artifact (models/icd10cm/icd10cm-FY2021.json.gz) from the shared CMS files and the FY2026 neoplasm and drug tables')
    .action(async () => {
      try {
        const { modelLocations, sharedDataDir } = await import('../../config/paths.ts');
        const { buildBundledCodeSet } = await import('../../coding/icd10/code-set-files.ts');
        printResult({ ...buildBundledCodeSet(sharedDataDir(), modelLocations()) });
      } catch (error) {
        reportCommandError(error);
      }
    });
}
