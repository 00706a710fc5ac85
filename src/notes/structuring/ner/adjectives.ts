/**
 * Disease adjectives standing on their own: BC5CDR marks "nephrotoxic", "epileptic" or "dyskinetic" as disease
 * mentions when the word is not part of a longer mention ("nephrotoxic doses", "diabetic rats"), and the network,
 * which sees few of them, often misses them. An "-ic" word is taken for a disease adjective when one of its noun
 * forms ("dyskinesia", "catalepsy", "cardiotoxicity", "thrombosis") is a disease name the name memory holds. In the
 * training text, such words the network left untagged were marked 44 times out of 58.
 */
import type { TokenSpan } from './propagate.ts';
import type { NerToken } from './tokens.ts';

/** Noun forms an "-ic" adjective may come from, lower-case: dystonic → dystonia, epileptic → epilepsy, … */
export function nounForms(adjective: string): string[] {
  const word = adjective.toLowerCase();
  if (!/^\p{L}{4,}ic$/u.test(word)) return [];
  const stem = word.slice(0, -2);
  const forms = [`${stem}ia`, `${stem}y`, `${stem}e`, `${stem}es`, `${stem}a`, `${stem}icity`];
  if (word.endsWith('tic')) {
    const root = word.slice(0, -3);
    forms.push(`${root}sis`, `${root}sy`, `${root}sia`);
  }
  return forms;
}

/** Adds a disease span for every free word whose noun form `isDiseaseName` accepts. */
export function tagDiseaseAdjectives(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>, isDiseaseName: (name: string) => boolean): TokenSpan[] {
  const taken = new Uint8Array(tokens.length);
  for (const s of spans) taken.fill(1, s.firstToken, s.endToken);
  const added: TokenSpan[] = [];
  // Not a part of a hyphenated word ("anti-epileptic").
  const hyphenAt = (i: number) => tokens[i]?.text === '-' && (tokens[i]!.end === tokens[i + 1]?.start || tokens[i]!.start === tokens[i - 1]?.end);
  tokens.forEach((token, i) => {
    if (!taken[i] && !hyphenAt(i - 1) && !hyphenAt(i + 1) && nounForms(token.text).some(isDiseaseName)) added.push({ type: 'disease', firstToken: i, endToken: i + 1, score: 0.5 });
  });
  return added.length === 0 ? [...spans] : [...spans, ...added].sort((a, b) => a.firstToken - b.firstToken);
}
