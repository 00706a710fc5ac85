/**
 * ICD-10-CM lookups the API, workers and CLI call on the loaded code set: one code, typeahead search, and the
 * steps a server runs ahead of the first request to build what coding needs.
 */
import type { Icd10Code } from './code-set.ts';
import { loadRanker } from './ranker/model.ts';
import { termMatcherFor } from './ranker/term-matcher.ts';
import { searchIndexFor, type CodeSearchHit, type SearchOptions } from './search.ts';
import { loadCodeSet } from './versions.ts';

/** Everything about one code (any case, dot optional), or undefined if the version has no such code. */
export function getCode(code: string, version?: string): Icd10Code | undefined {
  return loadCodeSet(version).describe(code);
}

/** Typeahead search by code prefix or words; the search index is built on first use per version. */
export function searchCodes(query: string, options: SearchOptions & { version?: string } = {}): CodeSearchHit[] {
  return searchIndexFor(loadCodeSet(options.version)).search(query, options);
}

/**
 * What coding builds on first use, as separate steps (each takes up to about a second and a half) so a server can
 * load them ahead of the first request, yielding between steps: the code set, the typeahead index, the term
 * matcher and the ranker of the active (or given) version.
 */
export function codingLoadSteps(version?: string): Array<{ name: string; load: () => unknown }> {
  return [
    { name: 'icd10 code set', load: () => loadCodeSet(version) },
    { name: 'icd10 search index', load: () => searchIndexFor(loadCodeSet(version)) },
    { name: 'icd10 term matcher', load: () => termMatcherFor(loadCodeSet(version)) },
    { name: 'icd10 ranker', load: () => loadRanker() },
  ];
}
