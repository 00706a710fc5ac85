/**
 * The one ICD-10-CM code a mention's words name outright, or null. Used for mentions that only the learned
 * mention finder found (no lexicon term behind them): such a mention may carry a code only when its words are
 * exactly the words of a code's title, inclusion term or index term, and of no other billable code's.
 */
import type { CodeSet } from './code-set.ts';
import { functionWords, tokenize } from './text.ts';

// "with", "without" and "not" tell codes apart ("X with Y" / "X without Y"); the other function words do not.
const telling = new Set(tokenize('with without not').map((t) => t.stem));

/** The content words of a phrase as an order-free key: "arteritis, giant cell" and "giant cell arteritis" meet. */
function wordsKey(phrase: string): string {
  const stems = tokenize(phrase)
    .map((t) => t.stem)
    .filter((s) => s.length > 1 && (!functionWords.has(s) || telling.has(s)));
  return [...new Set(stems)].sort().join(' ');
}

const indexes = new WeakMap<CodeSet, Map<string, Set<string>>>();

/** Words key → every code (billable or not) one of whose names has exactly those words; built once per code set. */
function namesIndex(codeSet: CodeSet): Map<string, Set<string>> {
  let index = indexes.get(codeSet);
  if (index) return index;
  index = new Map();
  for (const record of codeSet.records) {
    for (const name of [record.title, ...(record.inclusionTerms ?? []), ...(record.indexTerms ?? [])]) {
      const key = wordsKey(name);
      if (!key) continue;
      let codes = index.get(key);
      if (!codes) index.set(key, (codes = new Set()));
      codes.add(record.code);
    }
  }
  indexes.set(codeSet, index);
  return index;
}

/**
 * The code whose name has exactly the mention's words, when that is one billable code and nothing else: a
 * category (whose billable codes would have to be chosen between) or two codes with the same words give null.
 */
export function confidentCode(codeSet: CodeSet, mention: string): string | null {
  const key = wordsKey(mention);
  if (!key) return null;
  const codes = namesIndex(codeSet).get(key);
  if (!codes || codes.size !== 1) return null;
  const [code] = codes;
  return codeSet.record(code!)?.billable ? code! : null;
}

/** `confidentCode` over one code set, its names indexed now (about a second) rather than at the first mention. */
export function confidentCoder(codeSet: CodeSet): (mention: string) => string | null {
  namesIndex(codeSet);
  return (mention) => confidentCode(codeSet, mention);
}
