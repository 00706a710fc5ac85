/**
 * Disease adjectives and plurals standing on their own: BC5CDR marks "nephrotoxic", "epileptic" or "dyskinetic" as
 * disease mentions when the word is not part of a longer mention ("nephrotoxic doses", "diabetic rats"), and
 * plurals such as "fractures" or "diabetics" likewise; the network, which sees few of them, often misses them. A
 * word is taken for one when one of its noun forms ("dyskinesia", "catalepsy", "cardiotoxicity", "thrombosis";
 * "fracture", "diabetic" → "diabetes") is a disease noun the memory holds. In the BC5CDR training text, such
 * words the network left untagged were marked 44 times out of 58 (adjectives) and 7 out of 9 (plurals).
 */
import type { TokenSpan } from './propagate.ts';
import type { NerToken } from './tokens.ts';

/**
 * Noun forms a word may come from, lower-case: an "-ic" adjective's (dystonic → dystonia, epileptic → epilepsy, …)
 * and a plural's singular (fractures → fracture, diabetics → diabetic → diabetes).
 */
export function nounForms(word: string): string[] {
  const lower = word.toLowerCase();
  if (/^\p{L}{4,}s$/u.test(lower) && !/(ss|us|is)$/.test(lower)) {
    const singular = lower.slice(0, -1);
    return [singular, lower.slice(0, -2), ...adjectiveNounForms(singular)];
  }
  return adjectiveNounForms(lower);
}

function adjectiveNounForms(word: string): string[] {
  if (!/^\p{L}{4,}ic$/u.test(word)) return [];
  const stem = word.slice(0, -2);
  const forms = [`${stem}ia`, `${stem}y`, `${stem}e`, `${stem}es`, `${stem}a`, `${stem}icity`];
  if (word.endsWith('tic')) {
    const root = word.slice(0, -3);
    forms.push(`${root}sis`, `${root}sy`, `${root}sia`);
  }
  return forms;
}

/** Adds a disease span for every free word, not part of a hyphenated one, whose noun form `isDiseaseName` accepts. */
export function tagDerivedDiseaseWords(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>, isDiseaseName: (name: string) => boolean): TokenSpan[] {
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
