/**
 * Span-level evaluation of disease and chemical mentions against PubTator gold (NCBI-disease, BC5CDR).
 *
 * PubTator: per document a title line `PMID|t|…`, an abstract line `PMID|a|…`, then one tab-separated line per
 * mention `PMID start end text type id [names]` (BC5CDR adds relation lines `PMID CID chem disease`), and a blank
 * line. Offsets are into title + " " + abstract, end exclusive.
 */
import { readFileSync } from 'node:fs';
import type { NameMemory } from '../src/notes/structuring/ner/memory.ts';

export type MentionType = 'disease' | 'chemical';

export interface GoldMention {
  start: number;
  end: number;
  type: MentionType;
}

export interface PubtatorDocument {
  pmid: string;
  /** title + " " + abstract, the text the offsets point into. */
  text: string;
  mentions: GoldMention[];
}

export class PubtatorFormatError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'PubtatorFormatError';
  }
}

/** NCBI-disease's four disease classes and BC5CDR's two types. */
const typeOf: Record<string, MentionType> = {
  SpecificDisease: 'disease',
  DiseaseClass: 'disease',
  Modifier: 'disease',
  CompositeMention: 'disease',
  Disease: 'disease',
  Chemical: 'chemical',
};

export function parsePubtator(content: string, file = '<input>'): PubtatorDocument[] {
  const docs: PubtatorDocument[] = [];
  let current: { pmid: string; title: string | null; abstract: string | null; mentions: GoldMention[]; line: number } | null = null;
  const close = (lineNo: number) => {
    if (!current) return;
    if (current.title === null || current.abstract === null) {
      throw new PubtatorFormatError(file, current.line, `document ${current.pmid} lacks a ${current.title === null ? 'title (|t|)' : 'abstract (|a|)'} line`);
    }
    const text = `${current.title} ${current.abstract}`;
    for (const m of current.mentions) {
      if (m.end > text.length) throw new PubtatorFormatError(file, lineNo, `a mention of ${current.pmid} ends past its text (${m.end} > ${text.length})`);
    }
    docs.push({ pmid: current.pmid, text, mentions: current.mentions });
    current = null;
  };
  const lines = content.split('\n');
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      close(lineNo);
      return;
    }
    const header = /^(\d+)\|([ta])\|(.*)$/.exec(line);
    if (header) {
      const [, pmid, kind, body] = header as unknown as [string, string, 't' | 'a', string];
      if (current && current.pmid !== pmid) close(lineNo);
      current ??= { pmid, title: null, abstract: null, mentions: [], line: lineNo };
      if (kind === 't') {
        if (current.title !== null) throw new PubtatorFormatError(file, lineNo, `second title line for document ${pmid}`);
        current.title = body;
      } else {
        if (current.title === null) throw new PubtatorFormatError(file, lineNo, `abstract line before the title of document ${pmid}`);
        current.abstract = body;
      }
      return;
    }
    const cols = line.split('\t');
    if (!current) throw new PubtatorFormatError(file, lineNo, 'expected a title line "PMID|t|…"');
    if (cols[0] !== current.pmid) throw new PubtatorFormatError(file, lineNo, `annotation for ${cols[0]} inside document ${current.pmid}`);
    if (cols[1] === 'CID') return; // BC5CDR chemical-induced-disease relation: not a mention
    if (cols.length < 5) throw new PubtatorFormatError(file, lineNo, 'expected "PMID<TAB>start<TAB>end<TAB>text<TAB>type[<TAB>id]"');
    const start = Number(cols[1]);
    const end = Number(cols[2]);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
      throw new PubtatorFormatError(file, lineNo, `bad offsets "${cols[1]}", "${cols[2]}"`);
    }
    const type = typeOf[cols[4]!];
    if (!type) throw new PubtatorFormatError(file, lineNo, `unknown mention type "${cols[4]}"`);
    current.mentions.push({ start, end, type });
  });
  close(lines.length);
  return docs;
}

export function readPubtator(file: string): PubtatorDocument[] {
  return parsePubtator(readFileSync(file, 'utf8'), file);
}

/** Raised for a suite file that is missing or malformed: a message for the operator, naming the file and line. */
export class NerSuiteInputError extends Error {
  override readonly name = 'NerSuiteInputError';
}

/** readPubtator for the CLI suites: a missing or malformed file becomes one clear message. */
export function readNerSuite(file: string): PubtatorDocument[] {
  try {
    return readPubtator(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NerSuiteInputError(`${file}: no such file`);
    if (error instanceof PubtatorFormatError) throw new NerSuiteInputError(error.message);
    throw error;
  }
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

function counts(tp: number, fp: number, fn: number): Counts {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

export interface NerScores {
  nDocs: number;
  /** Exact span and type, per type and over all types (micro). */
  exact: Record<MentionType | 'all', Counts>;
  /**
   * Same type and overlapping spans: a prediction is right when it overlaps a gold mention, a gold mention is found
   * when a prediction overlaps it (precision and recall counted on each side).
   */
  overlap: Record<MentionType | 'all', Counts>;
}

export type MentionFinder = (text: string) => ReadonlyArray<GoldMention> | Promise<ReadonlyArray<GoldMention>>;

const key = (m: GoldMention) => `${m.type}:${m.start}:${m.end}`;

export async function scoreNer(docs: ReadonlyArray<PubtatorDocument>, find: MentionFinder, onDoc?: () => void): Promise<NerScores> {
  const types: Array<MentionType | 'all'> = ['disease', 'chemical', 'all'];
  const tally = Object.fromEntries(types.map((t) => [t, { tp: 0, fp: 0, fn: 0, ovP: 0, ovPn: 0, ovR: 0, ovRn: 0 }])) as Record<
    MentionType | 'all',
    { tp: number; fp: number; fn: number; ovP: number; ovPn: number; ovR: number; ovRn: number }
  >;
  for (const doc of docs) {
    // Gold can repeat a span (NCBI lists a few twice); a span counts once on each side.
    const gold = new Map(doc.mentions.map((m) => [key(m), m]));
    const predicted = new Map((await find(doc.text)).map((m) => [key(m), m]));
    for (const t of types) {
      const g = [...gold.values()].filter((m) => t === 'all' || m.type === t);
      const p = [...predicted.values()].filter((m) => t === 'all' || m.type === t);
      const s = tally[t];
      const tp = p.filter((m) => gold.has(key(m))).length;
      s.tp += tp;
      s.fp += p.length - tp;
      s.fn += g.length - tp;
      const overlaps = (a: GoldMention, b: GoldMention) => a.type === b.type && a.start < b.end && b.start < a.end;
      s.ovP += p.filter((m) => g.some((x) => overlaps(m, x))).length;
      s.ovPn += p.length;
      s.ovR += g.filter((m) => p.some((x) => overlaps(m, x))).length;
      s.ovRn += g.length;
    }
    onDoc?.();
  }
  const exact = {} as NerScores['exact'];
  const overlap = {} as NerScores['overlap'];
  for (const t of types) {
    const s = tally[t];
    exact[t] = counts(s.tp, s.fp, s.fn);
    const precision = s.ovPn === 0 ? 0 : s.ovP / s.ovPn;
    const recall = s.ovRn === 0 ? 0 : s.ovR / s.ovRn;
    overlap[t] = {
      tp: s.ovR,
      fp: s.ovPn - s.ovP,
      fn: s.ovRn - s.ovR,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    };
  }
  return { nDocs: docs.length, exact, overlap };
}

/**
 * The baseline: what the rule-and-lexicon structurer already extracts, read as mentions (problems → disease;
 * medications and allergy substances → chemical).
 */
export async function structurerFinder(): Promise<MentionFinder> {
  const { structureNote } = await import('../src/notes/structuring/structure.ts');
  return (text) => {
    const note = structureNote(text);
    return [
      ...note.problems.map((p) => ({ start: p.start, end: p.end, type: 'disease' as const })),
      ...note.medications.map((m) => ({ start: m.start, end: m.start + m.name.length, type: 'chemical' as const })),
      ...note.allergies.flatMap((a) => (a.substance ? [{ start: a.substance.start, end: a.substance.end, type: 'chemical' as const }] : [])),
    ];
  };
}

/**
 * The systems the NER suites can score, each adding one part: the structurer (baseline), the gazetteer alone, the
 * network trained without gazetteer features (models/ner/ablation-no-gazetteer), the network (CRF decoding only),
 * the network with document-level propagation, that with the name memory alone (`names`: remembered and dropped
 * names, no edge words, disease adjectives or coordination), and the finder as shipped (models/ner: all that
 * memory.json holds).
 */
export const nerSystems = ['structurer', 'gazetteer', 'network-no-gazetteer', 'network', 'network-propagation', 'names', 'model'] as const;
export type NerSystem = (typeof nerSystems)[number];

/** `head` picks the learned finder's output trained on the suite's own annotation conventions. */
export async function nerFinder(system: string, head: 'cdr' | 'ncbi' = 'cdr'): Promise<MentionFinder> {
  switch (system) {
    case 'structurer':
      return structurerFinder();
    case 'gazetteer': {
      const { gazetteerMentions } = await import('../src/notes/structuring/ner/tokens.ts');
      return gazetteerMentions;
    }
    case 'model':
    case 'names':
    case 'network':
    case 'network-propagation':
    case 'network-no-gazetteer': {
      const [{ findMentions }, { loadNerModel }, { modelLocations }, path] = await Promise.all([
        import('../src/notes/structuring/ner/model.ts'),
        import('../src/notes/structuring/ner/ner-files.ts'),
        import('../src/config/paths.ts'),
        import('node:path'),
      ]);
      const { modelsDir } = modelLocations();
      const dir = system === 'network-no-gazetteer' ? path.join(modelsDir, 'ner', 'ablation-no-gazetteer') : path.join(modelsDir, 'ner');
      const model = await loadNerModel(dir);
      if (system === 'names' && model.memory) {
        const namesOnly = (m: NameMemory): NameMemory => ({ ...m, diseaseNouns: new Set(), modifiers: new Set(), edges: { leftOut: new Set(), takenIn: new Set(), leftOutAfter: new Set() } });
        model.memory = { cdr: namesOnly(model.memory.cdr), ncbi: namesOnly(model.memory.ncbi) };
      }
      const options = { head, memory: system === 'model' || system === 'names', propagate: system !== 'network' && system !== 'network-no-gazetteer' };
      return (text) => findMentions(model, text, options);
    }
    default:
      throw new Error(`unknown system "${system}" (one of: ${nerSystems.join(', ')})`);
  }
}
