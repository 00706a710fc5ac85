import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';

/**
 * Every file in ./commands exports `register(program)`; discovering them keeps each command
 * in its own module and lets capabilities add commands without touching this file.
 */
export interface CommandModule {
  register(program: Command): void;
}

const groupDescriptions: Record<string, string> = {
  eval: 'Measure quality on evaluation sets (last line of output is one JSON object)',
  bench: 'Measure speed (last line of output is one JSON object)',
  keys: 'Manage API keys',
  icd10: 'ICD-10-CM code set, suggestions and learning',
  import: 'Import external records',
  notes: 'Operate on stored notes (retry failed processing)',
};

/**
 * A command group such as `clinote eval …` shared by several command modules:
 * returns the existing group or creates it, so each module adds only its own subcommand.
 */
export function commandGroup(program: Command, name: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(groupDescriptions[name] ?? name);
}

/** Before any command runs: the model loaders look where the validated Config says (imported here, not at start, so `--help` stays fast). */
async function installConfiguredModelFiles(): Promise<void> {
  const [{ reportCommandError }, { installModelFilesFromEnvironment }] = await Promise.all([import('./runtime.ts'), import('../model-files.ts')]);
  try {
    installModelFilesFromEnvironment();
  } catch (error) {
    reportCommandError(error); // prints an invalid configuration; rethrows anything else
    process.exit(1);
  }
}

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

export async function buildProgram(): Promise<Command> {
  const program = new Command('clinote')
    .description('Clinote: on-device clinical documentation (notes, ICD-10-CM coding, history search, image triage)')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true })
    // `clinote -V` prints the program version; after a command, `--version` is that command's own option (a code-set version).
    .enablePositionalOptions()
    .hook('preAction', installConfiguredModelFiles);
  const files = readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(commandsDir, file)).href)) as Partial<CommandModule>;
    mod.register?.(program);
  }
  return program;
}
