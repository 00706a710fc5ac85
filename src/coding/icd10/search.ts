/**
 * Typeahead search over one code set: by code prefix (`s72.0`, `S720`) or by words (`fract neck fem`), where
 * every word must match a word of the title, an inclusion term or an index term, the last one as a prefix.
 * Built once per code set into sorted arrays and posting lists, so a query costs a few binary searches and
 * a posting-list intersection.
 */
import type { CodeSet, CodeSummary } from './code-set.ts';
import { tokenize, wordKey } from './text.ts';

export interface CodeSearchHit extends CodeSummary {
  /** `code` when the query matched the code, `title` when every word matched the title, `term` otherwise. */
  matched: 'code' | 'title' | 'term';
}

export interface SearchOptions {
  limit?: number;
  billableOnly?: boolean;
}

const codePattern = /^[a-z][0-9][0-9a-z]?(\.?[0-9a-z]{0,4})?$/i;

function lowerBound(sorted: ReadonlyArray<string>, key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class CodeSearchIndex {
  /** Codes without the dot, sorted, with their record index. */
  private readonly bareCodes: string[];
  private readonly bareCodeRecord: Int32Array;
  /** Stem → sorted record ids, over titles, inclusion terms and index terms. */
  private readonly anyTermPostings = new Map<string, Int32Array>();
  private readonly titlePostings = new Map<string, Int32Array>();
  /** Distinct folded words, sorted, for last-word prefix matching, and their stems. */
  private readonly words: string[];
  private readonly wordStems: string[];
  /** Record ids with shorter (more general) titles first, then release order: the order hits are shown in. */
  private readonly displayOrder: Int32Array;
  private readonly displayRank: Int32Array;

  constructor(private readonly codeSet: CodeSet) {
    const records = codeSet.records;
    const order = records.map((r, i) => [r.code.replace('.', ''), i] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    this.bareCodes = order.map((o) => o[0]);
    this.bareCodeRecord = Int32Array.from(order.map((o) => o[1]));

    const anyTerm = new Map<string, number[]>();
    const title = new Map<string, number[]>();
    const stemOfWord = new Map<string, string>();
    const add = (postings: Map<string, number[]>, key: string, id: number) => {
      const list = postings.get(key);
      if (!list) postings.set(key, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    };
    records.forEach((record, id) => {
      const texts = [record.title, ...(record.inclusionTerms ?? []), ...(record.indexTerms ?? [])];
      texts.forEach((text, textIndex) => {
        for (const token of tokenize(text)) {
          stemOfWord.set(token.text, token.stem);
          add(anyTerm, token.stem, id);
          if (textIndex === 0) add(title, token.stem, id);
        }
      });
    });
    for (const [key, ids] of anyTerm) this.anyTermPostings.set(key, Int32Array.from(ids));
    for (const [key, ids] of title) this.titlePostings.set(key, Int32Array.from(ids));
    this.words = [...stemOfWord.keys()].sort();
    this.wordStems = this.words.map((w) => stemOfWord.get(w)!);
    this.displayOrder = Int32Array.from(records.keys()).sort((a, b) => records[a]!.title.length - records[b]!.title.length || a - b);
    this.displayRank = new Int32Array(records.length);
    this.displayOrder.forEach((id, rank) => (this.displayRank[id] = rank));
  }

  search(query: string, options: SearchOptions = {}): CodeSearchHit[] {
    const limit = Math.max(1, Math.min(options.limit ?? 20, 200));
    const trimmed = query.trim();
    if (trimmed === '') return [];
    const hits: CodeSearchHit[] = codePattern.test(trimmed) ? this.byCodePrefix(trimmed, limit, options) : [];
    if (hits.length < limit) {
      const seen = new Set(hits.map((h) => h.code));
      for (const hit of this.byWords(trimmed, limit, options)) {
        if (hits.length >= limit) break;
        if (!seen.has(hit.code)) hits.push(hit);
      }
    }
    return hits;
  }

  private byCodePrefix(query: string, limit: number, options: SearchOptions): CodeSearchHit[] {
    const prefix = query.toUpperCase().replace('.', '');
    const hits: CodeSearchHit[] = [];
    for (let i = lowerBound(this.bareCodes, prefix); i < this.bareCodes.length && hits.length < limit; i++) {
      if (!this.bareCodes[i]!.startsWith(prefix)) break;
      const record = this.codeSet.records[this.bareCodeRecord[i]!]!;
      if (options.billableOnly && !record.billable) continue;
      hits.push({ code: record.code, title: record.title, billable: record.billable, matched: 'code' });
    }
    return hits;
  }

  /**
   * Which records one typed word matches, as a mask over record ids (bit 1: any term, bit 2: the title), and the
   * posting lists behind it. Every word may be a prefix (the user is typing); whole words also match by stem.
   */
  private matchesFor(word: string): { mask: Uint8Array; lists: Int32Array[]; size: number } {
    const stems = new Set<string>([wordKey(word)]);
    for (let i = lowerBound(this.words, word); i < this.words.length && this.words[i]!.startsWith(word); i++) {
      stems.add(this.wordStems[i]!);
      if (stems.size > 200) break; // a one- or two-letter prefix: enough variety for a typeahead
    }
    const mask = new Uint8Array(this.codeSet.records.length);
    const lists: Int32Array[] = [];
    let size = 0;
    for (const s of stems) {
      const any = this.anyTermPostings.get(s);
      if (!any) continue;
      lists.push(any);
      size += any.length;
      for (const id of any) mask[id]! |= 1;
      for (const id of this.titlePostings.get(s) ?? []) mask[id]! |= 2;
    }
    return { mask, lists, size };
  }

  private byWords(query: string, limit: number, options: SearchOptions): CodeSearchHit[] {
    const words = [...new Set(tokenize(query).map((t) => t.text))];
    if (words.length === 0) return [];
    const matches = words.map((w) => this.matchesFor(w));
    const rarest = matches.reduce((best, m) => (m.size < best.size ? m : best));
    // Few candidates: rank just those. Many: walk records in display order and stop at `limit`.
    const candidates = rarest.size <= 4000 ? this.displaySorted(rarest.lists) : this.displayOrder;
    const hits: CodeSearchHit[] = [];
    // Two passes: records whose title has every word first, then those matched through other terms.
    for (const titleOnly of [true, false]) {
      for (const id of candidates) {
        if (hits.length >= limit) return hits;
        let everyWordInTitle = true;
        let everyWord = true;
        for (const { mask } of matches) {
          const bits = mask[id]!;
          if (bits === 0) everyWord = false;
          if ((bits & 2) === 0) everyWordInTitle = false;
        }
        if (!everyWord || everyWordInTitle !== titleOnly) continue;
        const record = this.codeSet.records[id]!;
        if (options.billableOnly && !record.billable) continue;
        hits.push({ code: record.code, title: record.title, billable: record.billable, matched: titleOnly ? 'title' : 'term' });
      }
    }
    return hits;
  }

  private displaySorted(lists: ReadonlyArray<Int32Array>): Int32Array {
    const ids = new Set<number>();
    for (const list of lists) for (const id of list) ids.add(id);
    return Int32Array.from(ids).sort((a, b) => this.displayRank[a]! - this.displayRank[b]!);
  }
}

const indexes = new WeakMap<CodeSet, CodeSearchIndex>();

export function searchIndexFor(codeSet: CodeSet): CodeSearchIndex {
  let index = indexes.get(codeSet);
  if (!index) {
    index = new CodeSearchIndex(codeSet);
    indexes.set(codeSet, index);
  }
  return index;
}
