/**
 * One loaded ICD-10-CM release: code lookup, hierarchy, and the instructional notes that apply to a code
 * (its own and those inherited from its category, block and chapter).
 */
import {
  tabularNoteKinds,
  type BlockRecord,
  type ChapterRecord,
  type CodeRecord,
  type CodeSetData,
  type TabularNoteKind,
  type TabularNotes,
} from './code-set-data.ts';
import { dottedCode } from './release.ts';

export interface CodeSummary {
  code: string;
  title: string;
  billable: boolean;
}

export interface InstructionalNote {
  kind: TabularNoteKind;
  text: string;
  /** Where the note is written: the code itself, an ancestor code, a block id (`S70-S79`) or `chapter 19`. */
  from: string;
}

export interface SeventhCharacter {
  character: string;
  meaning: string;
}

/** Everything known about one code, as `GET /v1/icd10/codes/{code}` returns it. */
export interface Icd10Code extends CodeSummary {
  version: string;
  /** Ancestors from the three-character category down to the direct parent. */
  parents: CodeSummary[];
  children: CodeSummary[];
  chapter: { number: number; title: string };
  block: { id: string; title: string };
  /** The code's own notes followed by the inherited ones (nearest first). */
  notes: InstructionalNote[];
  /** For codes that end in a 7th character: which one and what it means. */
  seventhCharacter?: SeventhCharacter;
  /** For codes below a 7th-character rule that still need the character: the values to choose from. */
  seventhCharacterOptions?: SeventhCharacter[];
  indexTerms: string[];
}

export class CodeSet {
  readonly version: string;
  readonly tabularVersion: string;
  private readonly byCode = new Map<string, CodeRecord>();
  private readonly childrenOf = new Map<string, CodeRecord[]>();
  private readonly chapters = new Map<number, ChapterRecord>();
  private readonly blocks = new Map<string, BlockRecord>();
  /** Codes in release order, for prefix search and iteration. */
  readonly records: ReadonlyArray<CodeRecord>;

  constructor(data: CodeSetData) {
    this.version = data.version;
    this.tabularVersion = data.source.tabularVersion;
    this.records = data.codes;
    for (const chapter of data.chapters) this.chapters.set(chapter.number, chapter);
    for (const block of data.blocks) this.blocks.set(block.id, block);
    for (const record of data.codes) {
      this.byCode.set(record.code, record);
      if (record.parent) {
        const siblings = this.childrenOf.get(record.parent);
        if (siblings) siblings.push(record);
        else this.childrenOf.set(record.parent, [record]);
      }
    }
  }

  /** Accepts any case, with or without the dot. */
  record(code: string): CodeRecord | undefined {
    return this.byCode.get(code) ?? this.byCode.get(dottedCode(code));
  }

  has(code: string): boolean {
    return this.record(code) !== undefined;
  }

  children(code: string): ReadonlyArray<CodeRecord> {
    return this.childrenOf.get(dottedCode(code)) ?? [];
  }

  /** Ancestor records from the category down to the parent. */
  ancestors(code: string): CodeRecord[] {
    const chain: CodeRecord[] = [];
    for (let parent = this.record(code)?.parent; parent; parent = this.byCode.get(parent)?.parent) {
      const record = this.byCode.get(parent);
      if (!record) break;
      chain.unshift(record);
    }
    return chain;
  }

  /** Every billable code at or below `code`, in release order. */
  billableDescendants(code: string): CodeRecord[] {
    const start = this.record(code);
    if (!start) return [];
    const found: CodeRecord[] = [];
    const walk = (record: CodeRecord) => {
      if (record.billable) found.push(record);
      for (const child of this.childrenOf.get(record.code) ?? []) walk(child);
    };
    walk(start);
    return found;
  }

  category(code: string): CodeRecord | undefined {
    return this.byCode.get(dottedCode(code).slice(0, 3));
  }

  block(code: string): BlockRecord | undefined {
    const blockId = this.category(code)?.block;
    return blockId ? this.blocks.get(blockId) : undefined;
  }

  chapter(code: string): ChapterRecord | undefined {
    const block = this.block(code);
    return block ? this.chapters.get(block.chapter) : undefined;
  }

  /** The 7th-character rule in force for a code (defined on it or on an ancestor), if any. */
  seventhCharacterRule(code: string): Record<string, string> | undefined {
    const record = this.record(code);
    if (!record) return undefined;
    for (const r of [record, ...this.ancestors(code).reverse()]) if (r.seventhCharacters) return r.seventhCharacters;
    return undefined;
  }

  /** Notes of one kind (or all kinds) that apply to a code: its own first, then inherited, nearest first. */
  notes(code: string, kinds: ReadonlyArray<TabularNoteKind> = tabularNoteKinds): InstructionalNote[] {
    const record = this.record(code);
    if (!record) return [];
    const sources: Array<[string, TabularNotes]> = [[record.code, record]];
    for (const ancestor of this.ancestors(code).reverse()) sources.push([ancestor.code, ancestor]);
    const block = this.block(code);
    if (block) sources.push([block.id, block]);
    const chapter = this.chapter(code);
    if (chapter) sources.push([`chapter ${chapter.number}`, chapter]);
    const notes: InstructionalNote[] = [];
    for (const [from, holder] of sources) {
      for (const kind of kinds) {
        // Inclusion terms describe the code they sit on, so they are not inherited by children.
        if (kind === 'inclusionTerms' && from !== record.code) continue;
        for (const text of holder[kind] ?? []) notes.push({ kind, text, from });
      }
    }
    return notes;
  }

  describe(code: string): Icd10Code | undefined {
    const record = this.record(code);
    if (!record) return undefined;
    const summary = (r: CodeRecord): CodeSummary => ({ code: r.code, title: r.title, billable: r.billable });
    const block = this.block(code);
    const chapter = this.chapter(code);
    if (!block || !chapter) throw new Error(`code set ${this.version}: ${record.code} has no block or chapter`);
    const result: Icd10Code = {
      ...summary(record),
      version: this.version,
      parents: this.ancestors(code).map(summary),
      children: this.children(code).map(summary),
      chapter: { number: chapter.number, title: chapter.title },
      block: { id: block.id, title: block.title },
      notes: this.notes(code),
      indexTerms: record.indexTerms ?? [],
    };
    const rule = this.seventhCharacterRule(code);
    if (rule) {
      const bare = record.code.replace('.', '');
      const parentRule = record.parent ? this.seventhCharacterRule(record.parent) : undefined;
      if (bare.length === 7 && parentRule === rule && rule[bare.slice(-1)] && !this.children(code).length) {
        result.seventhCharacter = { character: bare.slice(-1), meaning: rule[bare.slice(-1)]! };
      } else if (!record.billable) {
        result.seventhCharacterOptions = Object.entries(rule).map(([character, meaning]) => ({ character, meaning }));
      }
    }
    return result;
  }
}
