/**
 * The derived lexicons in models/lexicons, loaded once per process on first use. Built by
 * models/lexicons/build.ts; sources and licences in models/lexicons/README.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { modelLocations } from '../../config/paths.ts';
import {
  LEXICON_FORMAT_VERSION,
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

interface Table {
  version: number;
  rows: Array<Array<string | number>>;
}

export function lexiconDir(modelsDir = modelLocations().modelsDir): string {
  return path.join(modelsDir, 'lexicons');
}

function readJson<T extends { version: number }>(name: string): T {
  const file = path.join(lexiconDir(), name);
  const raw = name.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
  const data = JSON.parse(raw) as T;
  if (data.version !== LEXICON_FORMAT_VERSION) {
    throw new Error(`${file} has lexicon format ${data.version}, expected ${LEXICON_FORMAT_VERSION}; rebuild with models/lexicons/build.ts`);
  }
  return data;
}

function load(): Lexicons {
  const problems = readJson<Table>('problems.json.gz').rows.map(
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
  const drugTable = readJson<Table & { combinations: Array<[string, string, string]> }>('drugs.json.gz');
  const drugCombinations = new Map(drugTable.combinations.map(([ids, code, display]) => [ids, { code, display }] as const));
  const drugs = drugTable.rows.map(
    ([key, display, rxcuis, brand, weak]): [string, DrugTerm] => [
      key as string,
      { display: display as string, rxcuis: rxcuis ? (rxcuis as string).split(' ') : [], brand: brand === 1, weak: weak === 1 },
    ],
  );
  const labs = readJson<Table>('labs.json').rows.map(
    ([key, loinc, display, caseSensitive]): [string, LabTerm] => [
      key as string,
      { loinc: loinc as string, display: display as string, caseSensitive: caseSensitive === 1 },
    ],
  );
  const triggers = readJson<{ version: number; triggers: TriggerRecord[] }>('context-triggers.json').triggers;
  const { allergens, reactions } = readJson<{ version: number; allergens: CodedTermRecord[]; reactions: CodedTermRecord[] }>('allergens.json');
  const headers = readJson<{ version: number; headers: Array<[string, SectionType]> }>('section-headers.json').headers;
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

let loaded: Lexicons | null = null;

/** The lexicons, read from disk on the first call and shared by every later call in the process. */
export function lexicons(): Lexicons {
  loaded ??= load();
  return loaded;
}
