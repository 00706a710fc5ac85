/**
 * Patient names folded for search: lower case, accents removed (NFD with combining marks stripped, plus the Latin
 * letters that carry a stroke rather than a mark, such as đ and ø), apostrophes dropped and other punctuation as
 * spaces. The stored form is padded with one space on each side, so "the start of a word" is `% word` in LIKE.
 * Migration 0009 folds rows written before it with the same mapping in SQL.
 */

/** Letters whose accent is part of the glyph, so NFD leaves them whole. */
const STROKED: Record<string, string> = { đ: 'd', ø: 'o', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't', ƀ: 'b', ɨ: 'i', ƚ: 'l', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };
const STROKED_PATTERN = new RegExp(`[${Object.keys(STROKED).join('')}]`, 'gu');

/** The words of a name or query, folded: "Nguyễn Thị-Đào O'Brien" → ["nguyen", "thi", "dao", "obrien"]. */
export function foldedWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(STROKED_PATTERN, (c) => STROKED[c]!)
    .replace(/['’ʼ`]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The value stored in `patients.name_search`: the folded words between single spaces, padded with a space. */
export function searchableName(name: string | null | undefined): string | null {
  if (!name) return null;
  return ` ${foldedWords(name).join(' ')} `;
}
