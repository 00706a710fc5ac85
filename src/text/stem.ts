/**
 * The one suffix stemmer. It only has to map variants of a word onto one key, never find linguistic roots, and it
 * leaves short words, abbreviations and words with digits alone. Input is a folded word (see fold.ts).
 *
 * Two strengths, because the lexicons and the code matcher were built with different depths:
 * - `plural` strips plural endings only ("fevers" → "fever", "denies" → "deny", "boxes" → "box"). Note
 *   structuring's lexicons are keyed on it, and a deeper cut would merge words their lookups keep apart.
 * - `inflection` also strips "-ing", "-ed" and a final "-e", so "fractures", "fractured" and "fracture" meet, as
 *   ICD-10 titles and note text need.
 */

export type StemStrength = 'plural' | 'inflection';

export function stem(word: string, strength: StemStrength): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  const singular = stripPlural(word);
  return strength === 'plural' ? singular : stripInflection(singular);
}

function stripPlural(w: string): string {
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(w)) return w;
  if (/(ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function stripInflection(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('e')) return w.slice(0, -1);
  return w;
}
