/**
 * The on-disk format of the derived lexicons in models/lexicons, shared by the build script that writes them
 * and the loader that reads them. Bump the version when a file layout changes.
 */
/** 2: drugs.json.gz also holds RxNorm multiple-ingredient concepts (`combinations`). */
export const LEXICON_FORMAT_VERSION = 2;

export const problemSources = ['tabular', 'inclusion', 'neoplasm', 'drug-table', 'external-cause', 'synonym', 'abbreviation'] as const;
export type ProblemLexiconSource = (typeof problemSources)[number];

export const problemSourceCodes: Record<ProblemLexiconSource, number> = Object.fromEntries(
  problemSources.map((s, i) => [s, i]),
) as Record<ProblemLexiconSource, number>;

export type TriggerCategory = 'negated' | 'uncertain' | 'historical' | 'hypothetical' | 'family' | 'pseudo' | 'terminate';
export type TriggerDirection = 'forward' | 'backward' | 'bidirectional' | 'none';

export interface TriggerRecord {
  key: string;
  category: TriggerCategory;
  direction: TriggerDirection;
  /** For terminators: the categories whose scope the phrase closes ('all' for conjunctions such as "but"). */
  closes: TriggerCategory[] | 'all';
  source: 'medspacy' | 'pycontext' | 'negex' | 'clinote';
}

export interface CodedTermRecord {
  key: string;
  display: string;
  system: string | null;
  code: string | null;
  category: 'food' | 'medication' | 'environment' | 'biologic' | null;
}
