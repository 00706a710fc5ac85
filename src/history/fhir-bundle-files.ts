/** Finds and reads FHIR bundle files for `importFhir`. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BundleInput } from './fhir-import-service.ts';

/** A bundle file, or every `.json` file under a folder (recursively), in name order. */
export function listBundleFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The files' parsed JSON, read one at a time as the import asks for the next. */
export function* readBundleFiles(files: readonly string[]): Generator<BundleInput> {
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      yield { file, unreadable: (error as Error).message.slice(0, 200) };
      continue;
    }
    yield { file, json };
  }
}
