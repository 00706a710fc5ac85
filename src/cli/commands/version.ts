import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/paths.ts';

export function register(program: Command): void {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  program.version(pkg.version, '-V, --version', 'print the Clinote version');
}
