/**
 * The ICD-10-CM code-set files: the bundled artifact in `<models>/icd10cm/`, imported ones in
 * `<data dir>/icd10cm/` (gzip JSON, `icd10cm-<version>.json.gz`), and the CMS/CDC release folders they are
 * imported from.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { codeSetFormat, type CodeSetData } from './code-set-data.ts';
import { CodeSetError, combineRelease } from './release.ts';
import { assertVersionName, bundledVersion, forgetCodeSet, type CodeSetSource, type CodeSetVersion } from './versions.ts';

/** The folders the code sets live in: the models folder (bundled) and the data directory (imported). */
export interface CodeSetDirs {
  readonly modelsDir: string;
  readonly dataDir: string;
}

function bundledCodeSetDir(modelsDir: string): string {
  return path.join(modelsDir, 'icd10cm');
}

/** Where imported versions live: `<data dir>/icd10cm`. */
function importedCodeSetDir(dataDir: string): string {
  return path.resolve(dataDir, 'icd10cm');
}

function artifactFileName(version: string): string {
  return `icd10cm-${version}.json.gz`;
}

function readCodeSetArtifact(file: string): CodeSetData {
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as CodeSetData;
  if (data.format !== codeSetFormat) throw new CodeSetError(`${file}: not a ${codeSetFormat} artifact`);
  return data;
}

/** Writes atomically (temp file + rename) so a concurrent reader never sees half a code set. */
function writeCodeSetArtifact(file: string, data: CodeSetData): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, gzipSync(JSON.stringify(data), { level: 9 }));
  renameSync(temporary, file);
}

/** The versions in the two folders, bundled first; a name in both is the bundled one. */
export function listCodeSetFiles(dirs: CodeSetDirs): CodeSetVersion[] {
  const versions: CodeSetVersion[] = [];
  for (const [dir, bundled] of [
    [bundledCodeSetDir(dirs.modelsDir), true],
    [importedCodeSetDir(dirs.dataDir), false],
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

/** The code sets of these folders, with this active version (undefined → the bundled one), for `useCodeSets`. */
export function codeSetFiles(dirs: CodeSetDirs, activeVersion: string | undefined): CodeSetSource {
  return { activeVersion, list: () => listCodeSetFiles(dirs), read: (version) => readCodeSetArtifact(version.file) };
}

interface ReleaseFiles {
  orderFile: string;
  tabularFile: string;
  indexFiles: string[];
}

/** Finds the order file, the tabular XML and any index XML files in a CMS/CDC release folder. */
function findReleaseFiles(folder: string): ReleaseFiles {
  const names = readdirSync(folder).sort();
  const orderFile = names.find((n) => /order/i.test(n) && /\.txt$/i.test(n));
  const tabularFile = names.find((n) => /tabular/i.test(n) && /\.xml$/i.test(n));
  if (!orderFile || !tabularFile) {
    throw new CodeSetError(`${folder}: expected an order file (*order*.txt) and a Tabular List (*tabular*.xml)`);
  }
  const indexFiles = names.filter((n) => /\.xml$/i.test(n) && n !== tabularFile && /(index|neoplasm|drug)/i.test(n));
  return {
    orderFile: path.join(folder, orderFile),
    tabularFile: path.join(folder, tabularFile),
    indexFiles: indexFiles.map((n) => path.join(folder, n)),
  };
}

/** Reads the files of one release and combines them (`combineRelease`). */
function readRelease(files: ReleaseFiles, version: string): CodeSetData {
  const read = (file: string) => ({ path: file, text: readFileSync(file, 'utf8') });
  return combineRelease({ orderFile: read(files.orderFile), tabularFile: read(files.tabularFile), indexFiles: files.indexFiles.map(read) }, version);
}

export interface ImportOptions extends CodeSetDirs {
  /** Version name (default `FY` + the tabular's `<version>`, e.g. `FY2026`). */
  version?: string;
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
export function importRelease(folder: string, options: ImportOptions): ImportedRelease {
  if (options.version !== undefined) assertVersionName(options.version);
  const files = findReleaseFiles(folder);
  files.indexFiles.push(...(options.indexFiles ?? []));
  const data = readRelease(files, options.version ?? '');
  const version = options.version ?? `FY${data.source.tabularVersion}`;
  assertVersionName(version);
  data.version = version;
  const file = options.outFile ?? path.join(importedCodeSetDir(options.dataDir), artifactFileName(version));
  if (!options.outFile && existsSync(path.join(bundledCodeSetDir(options.modelsDir), artifactFileName(version)))) {
    throw new CodeSetError(`version "${version}" is the bundled release; import under another name`);
  }
  writeCodeSetArtifact(file, data);
  forgetCodeSet(version);
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
export function buildBundledCodeSet(sharedData: string, dirs: CodeSetDirs): ImportedRelease {
  const icd10Dir = path.join(sharedData, 'icd10cm');
  return importRelease(path.join(icd10Dir, 'icd10cm-fy2021-jan'), {
    ...dirs,
    version: bundledVersion,
    indexFiles: [
      path.join(icd10Dir, 'icd10cm-fy2026-apr', 'icd10cm-neoplasm-April-1-2026-XML.xml'),
      path.join(icd10Dir, 'icd10cm-fy2026-apr', 'icd10cm-drug-April-1-2026-XML.xml'),
    ],
    outFile: path.join(bundledCodeSetDir(dirs.modelsDir), artifactFileName(bundledVersion)),
  });
}
