/**
 * Code-set versions: the bundled release plus any imported with `clinote icd10 import`, as the installed source
 * (`code-set-files.ts`, installed by `src/model-files.ts`) lists and reads them. The active version is the
 * configured CLINOTE_ICD10_VERSION (default: the bundled one). Each version is loaded once per process.
 */
import { CodeSet } from './code-set.ts';
import type { CodeSetData } from './code-set-data.ts';
import { CodeSetError } from './release.ts';

export const bundledVersion = 'FY2021';

export interface CodeSetVersion {
  version: string;
  bundled: boolean;
  file: string;
}

/** Where the code-set versions come from. */
export interface CodeSetSource {
  /** The configured CLINOTE_ICD10_VERSION; undefined → the bundled one. */
  readonly activeVersion: string | undefined;
  /** The installed versions, bundled first. */
  list(): CodeSetVersion[];
  /** The artifact of an installed version (a name from `list`). */
  read(version: CodeSetVersion): CodeSetData;
}

let source: CodeSetSource | undefined;
const loaded = new Map<string, CodeSet>();

/** Installs where the code sets come from (the process's composition root does, once); drops the loaded ones. */
export function useCodeSets(codeSets: CodeSetSource): void {
  source = codeSets;
  loaded.clear();
}

function installed(): CodeSetSource {
  if (!source) throw new Error('no ICD-10-CM code sets installed: the composition root calls installModelFiles (src/model-files.ts)');
  return source;
}

export function activeVersion(): string {
  return installed().activeVersion ?? bundledVersion;
}

export function listVersions(): CodeSetVersion[] {
  return installed().list();
}

export function assertVersionName(version: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) {
    throw new CodeSetError(`invalid code-set version name "${version}": use letters, digits, dot, dash or underscore`);
  }
}

/** Drops a loaded version, so a re-imported one is read again. */
export function forgetCodeSet(version: string): void {
  loaded.delete(version);
}

/** The code set for a version (default: the active one), loaded once per process. */
export function loadCodeSet(version = activeVersion()): CodeSet {
  assertVersionName(version); // a name, never a path out of the code-set folders
  const cached = loaded.get(version);
  if (cached) return cached;
  const versions = listVersions();
  const entry = versions.find((v) => v.version === version);
  if (!entry) {
    const known = versions.map((v) => v.version).join(', ') || 'none';
    throw new CodeSetError(`ICD-10-CM version "${version}" is not installed (known: ${known}); import it with \`clinote icd10 import\``);
  }
  const codeSet = new CodeSet(installed().read(entry));
  loaded.set(version, codeSet);
  return codeSet;
}
