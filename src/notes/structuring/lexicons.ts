/**
 * The derived lexicons in models/lexicons, built once per process on first use from the tables the installed
 * loader reads (`lexicon-files.ts`, installed by `src/model-files.ts`). Built by models/lexicons/build.ts;
 * sources and licences in models/lexicons/README.md.
 */
import {
  problemSources,
  type CodedTermRecord,
  type ProblemLexiconSource,
  type TriggerRecord,
} from './lexicon-format.ts';
import { PhraseIndex } from './phrase-index.ts';
import type { SectionType } from './section-catalog.ts';

export interface ProblemTerm {
  display: string;
  codes: string[];
  source: ProblemLexiconSource;
  confidence: number;
  caseSensitive: boolean;
}

export interface DrugTerm {
  /** Ingredient name(s) the phrase stands for. */
  display: string;
  rxcuis: string[];
  brand: boolean;
  /** Also an ordinary word or lab analyte: a medication only next to a dose, route or frequency. */
  weak: boolean;
}

export interface LabTerm {
  loinc: string;
  display: string;
  caseSensitive: boolean;
}

export interface Lexicons {
  problems: PhraseIndex<ProblemTerm>;
  drugs: PhraseIndex<DrugTerm>;
  /** RxNorm multiple-ingredient concepts by their ingredient ids, sorted and space-joined ("1819 7242" → 352364). */
  drugCombinations: ReadonlyMap<string, { code: string; display: string }>;
  labs: PhraseIndex<LabTerm>;
  triggers: PhraseIndex<TriggerRecord>;
  allergens: PhraseIndex<CodedTermRecord>;
  reactions: PhraseIndex<CodedTermRecord>;
  sectionHeaders: ReadonlyMap<string, SectionType>;
}

export interface LexiconTable {
  version: number;
  rows: Array<Array<string | number>>;
}

/** The lexicon files as parsed JSON, each already checked for LEXICON_FORMAT_VERSION. */
export interface LexiconTables {
  problems: LexiconTable;
  drugs: LexiconTable & { combinations: Array<[string, string, string]> };
  labs: LexiconTable;
  triggers: { version: number; triggers: TriggerRecord[] };
  allergens: { version: number; allergens: CodedTermRecord[]; reactions: CodedTermRecord[] };
  sectionHeaders: { version: number; headers: Array<[string, SectionType]> };
}

export function buildLexicons(tables: LexiconTables): Lexicons {
  const problems = tables.problems.rows.map(
    ([key, display, codes, source, confidence, caseSensitive]): [string, ProblemTerm] => [
      key as string,
      {
        display: display as string,
        codes: (codes as string).split(' '),
        source: problemSources[source as number]!,
        confidence: confidence as number,
        caseSensitive: caseSensitive === 1,
      },
    ],
  );
  const drugTable = tables.drugs;
  const drugCombinations = new Map(drugTable.combinations.map(([ids, code, display]) => [ids, { code, display }] as const));
  const drugs = drugTable.rows.map(
    ([key, display, rxcuis, brand, weak]): [string, DrugTerm] => [
      key as string,
      { display: display as string, rxcuis: rxcuis ? (rxcuis as string).split(' ') : [], brand: brand === 1, weak: weak === 1 },
    ],
  );
  const labs = tables.labs.rows.map(
    ([key, loinc, display, caseSensitive]): [string, LabTerm] => [
      key as string,
      { loinc: loinc as string, display: display as string, caseSensitive: caseSensitive === 1 },
    ],
  );
  const triggers = tables.triggers.triggers;
  const { allergens, reactions } = tables.allergens;
  const headers = tables.sectionHeaders.headers;
  return {
    problems: new PhraseIndex(problems, (t) => t.caseSensitive),
    drugs: new PhraseIndex(drugs),
    drugCombinations,
    labs: new PhraseIndex(labs, (t) => t.caseSensitive),
    triggers: new PhraseIndex(triggers.map((t) => [t.key, t])),
    allergens: new PhraseIndex(allergens.map((t) => [t.key, t])),
    reactions: new PhraseIndex(reactions.map((t) => [t.key, t])),
    sectionHeaders: new Map(headers),
  };
}

let readTables: (() => LexiconTables) | undefined;
let loaded: Lexicons | null = null;

/** Installs where the lexicon tables come from (the process's composition root does, once); drops the built ones. */
export function useLexicons(read: () => LexiconTables): void {
  readTables = read;
  loaded = null;
}

/** The lexicons, built on the first call from the installed tables and shared by every later call in the process. */
export function lexicons(): Lexicons {
  if (!loaded) {
    if (!readTables) throw new Error('no lexicon files installed: the composition root calls installModelFiles (src/model-files.ts)');
    loaded = buildLexicons(readTables());
  }
  return loaded;
}
