/**
 * Parses an ICD-10-CM release as CMS/CDC publish it (order file + Tabular List XML, optionally index XML files)
 * into `CodeSetData`. The order file is the authority for which codes exist, their billable flag and titles;
 * the Tabular List adds the hierarchy, chapters, blocks, instructional notes and 7th-character rules;
 * index files add terms that lead to codes.
 */
import path from 'node:path';
import {
  codeSetFormat,
  type BlockRecord,
  type ChapterRecord,
  type CodeRecord,
  type CodeSetData,
  type TabularNotes,
} from './code-set-data.ts';
import { childElements, firstChild, parseXml, textOf, type XmlElement } from './xml.ts';

/** An ICD-10-CM release or code-set version that cannot be used (malformed files, unknown or reserved version); the message says why. */
export class CodeSetError extends Error {
  override readonly name = 'CodeSetError';
}

/** `A000` → `A00.0`; codes are stored uppercase with the dot. */
export function dottedCode(code: string): string {
  const bare = code.trim().toUpperCase().replace('.', '');
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

interface OrderFileEntry {
  code: string;
  billable: boolean;
  title: string;
}

/** The fixed-width order file: order (1-5), code (7-13, no dot), valid flag (15), short title (17-76), long title (78-). */
export function parseOrderFile(text: string): OrderFileEntry[] {
  const entries: OrderFileEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const code = line.slice(6, 13).trim();
    const flag = line.slice(14, 15);
    if (!/^[A-Z][0-9A-Z]{2,6}$/.test(code) || (flag !== '0' && flag !== '1')) {
      throw new CodeSetError(`order file: unexpected line "${line.slice(0, 40)}…"`);
    }
    entries.push({ code: dottedCode(code), billable: flag === '1', title: line.slice(77).trim() });
  }
  return entries;
}

const noteElements: ReadonlyArray<[string, keyof TabularNotes]> = [
  ['inclusionTerm', 'inclusionTerms'],
  ['includes', 'includes'],
  ['excludes1', 'excludes1'],
  ['excludes2', 'excludes2'],
  ['codeFirst', 'codeFirst'],
  ['useAdditionalCode', 'useAdditionalCode'],
  ['codeAlso', 'codeAlso'],
  ['notes', 'notes'],
];

function readNotes(element: XmlElement): TabularNotes {
  const notes: TabularNotes = {};
  for (const [tag, kind] of noteElements) {
    const texts = childElements(element, tag).flatMap((e) => childElements(e, 'note').map((n) => textOf(n)));
    if (texts.length > 0) notes[kind] = [...(notes[kind] ?? []), ...texts];
  }
  return notes;
}

function readSeventhCharacters(element: XmlElement): Record<string, string> | undefined {
  const definition = firstChild(element, 'sevenChrDef');
  if (!definition) return undefined;
  const values: Record<string, string> = {};
  for (const extension of childElements(definition, 'extension')) {
    const character = extension.attributes.char;
    if (character) values[character] = textOf(extension);
  }
  return values;
}

interface TabularContent {
  tabularVersion: string;
  chapters: ChapterRecord[];
  blocks: BlockRecord[];
  /** Tabular `diag` entries (no 7th-character codes) in document order. */
  codes: CodeRecord[];
}

export function parseTabular(xml: string): TabularContent {
  const root = parseXml(xml);
  const chapters: ChapterRecord[] = [];
  const blocks: BlockRecord[] = [];
  const codes: CodeRecord[] = [];
  const readDiag = (diag: XmlElement, parent: string | undefined, block: string | undefined) => {
    const nameElement = firstChild(diag, 'name');
    const descElement = firstChild(diag, 'desc');
    if (!nameElement || !descElement) throw new CodeSetError('tabular: diag without name or desc');
    const code = dottedCode(textOf(nameElement));
    const record: CodeRecord = { code, title: textOf(descElement), billable: false, ...readNotes(diag) };
    if (parent) record.parent = parent;
    if (block) record.block = block;
    const seventh = readSeventhCharacters(diag);
    if (seventh) record.seventhCharacters = seventh;
    codes.push(record);
    for (const child of childElements(diag, 'diag')) readDiag(child, code, undefined);
  };
  for (const chapterElement of childElements(root, 'chapter')) {
    const number = Number.parseInt(textOf(firstChild(chapterElement, 'name')!), 10);
    chapters.push({ number, title: textOf(firstChild(chapterElement, 'desc')!), ...readNotes(chapterElement) });
    for (const section of childElements(chapterElement, 'section')) {
      const id = section.attributes.id;
      if (!id) throw new CodeSetError(`tabular: section without id in chapter ${number}`);
      const title = textOf(firstChild(section, 'desc')!).replace(/\s*\([A-Z0-9.-]+\)$/, '');
      blocks.push({ id, title, chapter: number, ...readNotes(section) });
      for (const diag of childElements(section, 'diag')) readDiag(diag, undefined, id);
    }
  }
  const versionElement = firstChild(root, 'version');
  return { tabularVersion: versionElement ? textOf(versionElement) : '', chapters, blocks, codes };
}

/**
 * Index XML files map terms to codes. Plain indexes (alphabetic index, external-cause index) give a `<code>` per
 * term; tables (neoplasm, drugs and chemicals) give one `<cell col>` per column of `<indexHeading>`.
 * Returns `[term, code]` pairs, the term being the path of titles (nonessential modifiers left out).
 */
export function parseIndexTerms(xml: string): Array<[string, string]> {
  const root = parseXml(xml);
  const headings = new Map<string, string>();
  const headingElement = firstChild(root, 'indexHeading');
  if (headingElement) {
    for (const head of childElements(headingElement, 'head')) {
      if (head.attributes.col) headings.set(head.attributes.col, textOf(head));
    }
  }
  const pairs: Array<[string, string]> = [];
  const skipModifiers = new Set(['nemod']);
  const walk = (term: XmlElement, trail: string[]) => {
    const titleElement = firstChild(term, 'title');
    const pathTitles = titleElement ? [...trail, textOf(titleElement, skipModifiers)] : trail;
    const termText = pathTitles.join(', ');
    for (const codeElement of childElements(term, 'code')) pairs.push([termText, textOf(codeElement)]);
    for (const cell of childElements(term, 'cell')) {
      const heading = headings.get(cell.attributes.col ?? '');
      const value = textOf(cell);
      if (heading && /^[A-Z][0-9A-Z.]+-?$/.test(value)) pairs.push([`${termText} (${heading})`, value]);
    }
    for (const child of childElements(term, 'term')) walk(child, pathTitles);
  };
  for (const letter of childElements(root, 'letter')) {
    for (const mainTerm of childElements(letter, 'mainTerm')) walk(mainTerm, []);
  }
  return pairs;
}

/** The nearest existing code above `code`: drops the last character, then placeholder X's. */
function nearestExistingAncestor(code: string, known: ReadonlyMap<string, unknown>): string | undefined {
  let bare = code.replace('.', '');
  while (bare.length > 3) {
    bare = bare.slice(0, -1);
    const candidate = dottedCode(bare);
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** One file of a release: its path (for messages and the artifact's source list) and its text. */
export interface ReleaseFile {
  path: string;
  text: string;
}

/** The texts of one release, read by `code-set-files.ts`. */
export interface ReleaseTexts {
  orderFile: ReleaseFile;
  tabularFile: ReleaseFile;
  indexFiles: ReleaseFile[];
}

/**
 * Combines the order file, Tabular List and index files of one release. Codes the order file lists but the
 * tabular does not (the 7th-character codes) are checked against the tabular's 7th-character rules, so a
 * malformed release fails here rather than serving codes nobody can explain.
 */
export function combineRelease(files: ReleaseTexts, version: string): CodeSetData {
  const order = parseOrderFile(files.orderFile.text);
  const tabular = parseTabular(files.tabularFile.text);
  const tabularByCode = new Map(tabular.codes.map((c) => [c.code, c]));
  const orderByCode = new Map(order.map((e) => [e.code, e]));

  const seventhRuleFor = (code: string): Record<string, string> | undefined => {
    for (let c: string | undefined = code; c; c = tabularByCode.get(c)?.parent) {
      const rule = tabularByCode.get(c)?.seventhCharacters;
      if (rule) return rule;
    }
    return undefined;
  };

  const codes: CodeRecord[] = [];
  for (const entry of order) {
    const fromTabular = tabularByCode.get(entry.code);
    if (fromTabular) {
      codes.push({ ...fromTabular, title: entry.title, billable: entry.billable });
      continue;
    }
    const parent = nearestExistingAncestor(entry.code, tabularByCode);
    const rule = parent ? seventhRuleFor(parent) : undefined;
    const character = entry.code.slice(-1);
    if (!parent || entry.code.replace('.', '').length !== 7 || !rule?.[character]) {
      throw new CodeSetError(`${files.orderFile.path}: ${entry.code} is neither in the Tabular List nor explained by a 7th-character rule`);
    }
    codes.push({ code: entry.code, title: entry.title, billable: entry.billable, parent });
  }
  for (const record of tabular.codes) {
    if (!orderByCode.has(record.code)) throw new CodeSetError(`${files.tabularFile.path}: ${record.code} is missing from the order file`);
  }

  const byCode = new Map(codes.map((c) => [c.code, c]));
  for (const file of files.indexFiles) {
    for (const [term, reference] of parseIndexTerms(file.text)) {
      const target = byCode.get(dottedCode(reference.replace(/-$/, '')).replace(/\.$/, ''));
      if (!target) continue; // the index may be newer than the tabular: skip codes this release does not have
      target.indexTerms ??= [];
      if (!target.indexTerms.includes(term)) target.indexTerms.push(term);
    }
  }

  return {
    format: codeSetFormat,
    version,
    source: {
      tabularVersion: tabular.tabularVersion,
      files: [files.orderFile, files.tabularFile, ...files.indexFiles].map((f) => path.basename(f.path)),
    },
    chapters: tabular.chapters,
    blocks: tabular.blocks,
    codes,
  };
}
