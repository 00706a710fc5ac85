/** Reads the LLM structuring pass's prompt templates from the prompts folder. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StructuringPrompts } from './llm.ts';

export function readStructuringPrompts(promptsDir: string): StructuringPrompts {
  const read = (name: string) => readFileSync(path.join(promptsDir, name), 'utf8');
  return { system: read('structure-note.system.txt'), user: read('structure-note.user.txt') };
}
