/**
 * Case and diacritic folding: the one form in which words are compared ("Fémur" and "femur" meet).
 */

/** Lower case with combining marks removed (NFD), so accented and plain spellings compare equal. */
export function fold(text: string): string {
  // Most text is ASCII; skipping normalisation there keeps indexing the whole code set fast.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}
