/**
 * Code-set versions: the bundled release in `models/icd10cm/` plus any imported with `importRelease` into
 * `<CLINOTE_DATA_DIR>/icd10cm/`. The active version is the configured CLINOTE_ICD10_VERSION (default: the bundled one).
 * Each version is loaded once per process.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { modelLocations } from '../../config/paths.ts';
import { CodeSet } from './code-set.ts';
import { codeSetFormat, type CodeSetData } from './code-set-data.ts';
import { findReleaseFiles, CodeSetError, readRelease } from './release.ts';

export const bundledVersion = 'FY2021';

function bundledCodeSetDir(): string {
  return path.join(modelLocations().modelsDir, 'icd10cm');
}

const artifactSuffix = '.json.gz';

export function artifactFileName(version: string): string {
  return `icd10cm-${version}${artifactSuffix}`;
}

/** Where imported versions live: `<data dir>/icd10cm` (default: the configured CLINOTE_DATA_DIR). */
export function importedCodeSetDir(dataDir = modelLocations().dataDir): string {
  return path.resolve(dataDir, 'icd10cm');
}

export function activeVersion(): string {
  return modelLocations().icd10Version ?? bundledVersion;
}

function assertVersionName(version: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) {
    throw new CodeSetError(`invalid code-set version name "${version}": use letters, digits, dot, dash or underscore`);
  }
}

function artifactPath(version: string, dataDir?: string): string | undefined {
  for (const dir of [bundledCodeSetDir(), importedCodeSetDir(dataDir)]) {
    const file = path.join(dir, artifactFileName(version));
    if (existsSync(file)) return file;
  }
  return undefined;
}

export function readCodeSetArtifact(file: string): CodeSetData {
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as CodeSetData;
  if (data.format !== codeSetFormat) throw new CodeSetError(`${file}: not a ${codeSetFormat} artifact`);
  return data;
}

/** Writes atomically (temp file + rename) so a concurrent reader never sees half a code set. */
export function writeCodeSetArtifact(file: string, data: CodeSetData): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, gzipSync(JSON.stringify(data), { level: 9 }));
  renameSync(temporary, file);
}

export interface CodeSetVersion {
  version: string;
  bundled: boolean;
  file: string;
}

export function listVersions(dataDir?: string): CodeSetVersion[] {
  const versions: CodeSetVersion[] = [];
  for (const [dir, bundled] of [
    [bundledCodeSetDir(), true],
    [importedCodeSetDir(dataDir), false],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const match = /^icd10cm-(.+)\.json\.gz$/.exec(name);
      if (match && !versions.some((v) => v.version === match[1])) {
        versions.push({ version: match[1]!, bundled, file: path.join(dir, name) });
      }
    }
  }
  return versions;
}

const loaded = new Map<string, CodeSet>();

/** The code set for a version (default: the active one), loaded once per process. */
export function loadCodeSet(version = activeVersion(), dataDir?: string): CodeSet {
  assertVersionName(version); // a name, never a path out of the code-set folders
  const file = artifactPath(version, dataDir);
  if (!file) {
    const known = listVersions(dataDir).map((v) => v.version).join(', ') || 'none';
    throw new CodeSetError(`ICD-10-CM version "${version}" is not installed (known: ${known}); import it with \`clinote icd10 import\``);
  }
  const cached = loaded.get(file);
  if (cached) return cached;
  const codeSet = new CodeSet(readCodeSetArtifact(file));
  loaded.set(file, codeSet);
  return codeSet;
}

export interface ImportOptions {
  /** Version name (default `FY` + the tabular's `<version>`, e.g. `FY2026`). */
  version?: string;
  /** Where imported versions are written (default: the configured CLINOTE_DATA_DIR). */
  dataDir?: string;
  /** Extra index XML files (alphabetic index, neoplasm or drug tables) from outside the release folder. */
  indexFiles?: string[];
  /** Write to this file instead of the data directory (used to rebuild the bundled artifact). */
  outFile?: string;
}

export interface ImportedRelease {
  version: string;
  file: string;
  codes: number;
  billable: number;
  indexTerms: number;
  tabularVersion: string;
}

/**
 * Reads a CMS/CDC release folder (order file + Tabular List XML, optionally index XML) and stores it as a new
 * code-set version. Fails if the version name is taken by the bundled release.
 */
export function importRelease(folder: string, options: ImportOptions = {}): ImportedRelease {
  if (options.version !== undefined) assertVersionName(options.version);
  const files = findReleaseFiles(folder);
  files.indexFiles.push(...(options.indexFiles ?? []));
  const data = readRelease(files, options.version ?? '');
  const version = options.version ?? `FY${data.source.tabularVersion}`;
  assertVersionName(version);
  data.version = version;
  const file = options.outFile ?? path.join(importedCodeSetDir(options.dataDir), artifactFileName(version));
  if (!options.outFile && existsSync(path.join(bundledCodeSetDir(), artifactFileName(version)))) {
    throw new CodeSetError(`version "${version}" is the bundled release; import under another name`);
  }
  writeCodeSetArtifact(file, data);
  loaded.delete(file);
  return {
    version,
    file,
    codes: data.codes.length,
    billable: data.codes.filter((c) => c.billable).length,
    indexTerms: data.codes.reduce((n, c) => n + (c.indexTerms?.length ?? 0), 0),
    tabularVersion: data.source.tabularVersion,
  };
}

/** Rebuilds the bundled artifact from the shared FY2021 release plus the FY2026 neoplasm and drug tables. */
export function buildBundledCodeSet(sharedData: string): ImportedRelease {
  const icd10Dir = path.join(sharedData, 'icd10cm');
  return importRelease(path.join(icd10Dir, 'icd10cm-fy2021-jan'), {
    version: bundledVersion,
    indexFiles: [
      path.join(icd10Dir, 'icd10cm-fy2026-apr', 'icd10cm-neoplasm-April-1-2026-XML.xml'),
      path.join(icd10Dir, 'icd10cm-fy2026-apr', 'icd10cm-drug-April-1-2026-XML.xml'),
    ],
    outFile: path.join(bundledCodeSetDir(), artifactFileName(bundledVersion)),
  });
}
