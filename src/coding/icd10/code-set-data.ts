/**
 * The serialized form of one ICD-10-CM release (the committed `models/icd10cm/*.json.gz` artifact and the
 * versions `importRelease` writes). Plain data, so it can be written by the importer and read by any process.
 */

export const codeSetFormat = 'clinote-icd10cm/1';

/** Instructional notes of the Tabular List, by kind, exactly as published. */
export interface TabularNotes {
  inclusionTerms?: string[];
  includes?: string[];
  excludes1?: string[];
  excludes2?: string[];
  codeFirst?: string[];
  useAdditionalCode?: string[];
  codeAlso?: string[];
  /** General notes (`<notes>`), e.g. "The classification is maintained for surveillance purposes." */
  notes?: string[];
}

export const tabularNoteKinds = [
  'inclusionTerms',
  'includes',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'notes',
] as const satisfies ReadonlyArray<keyof TabularNotes>;
export type TabularNoteKind = (typeof tabularNoteKinds)[number];

export interface CodeRecord extends TabularNotes {
  /** Uppercase with the dot, e.g. `S72.001A`. */
  code: string;
  /** The official long title. */
  title: string;
  /** Valid for claims (the order file's valid flag). */
  billable: boolean;
  /** The next code up the hierarchy; absent on three-character categories. */
  parent?: string;
  /** On categories only: the block (Tabular section) id, e.g. `S70-S79`. */
  block?: string;
  /** The 7th-character values defined at this level (`sevenChrDef`), applying to every code below it. */
  seventhCharacters?: Record<string, string>;
  /** Terms from the alphabetic index / neoplasm / drug tables that lead to this code. */
  indexTerms?: string[];
}

export interface BlockRecord extends TabularNotes {
  id: string;
  title: string;
  chapter: number;
}

export interface ChapterRecord extends TabularNotes {
  number: number;
  title: string;
}

export interface CodeSetData {
  format: typeof codeSetFormat;
  /** The version name used to select this release, e.g. `FY2021`. */
  version: string;
  /** What the release files said about themselves (tabular `<version>`, file names). */
  source: { tabularVersion: string; files: string[] };
  chapters: ChapterRecord[];
  blocks: BlockRecord[];
  /** Every code in order-file order: headers and billable codes, including 7th-character codes. */
  codes: CodeRecord[];
}
