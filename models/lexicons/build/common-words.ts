/**
 * Ordinary English words: the whole-word entries of the uncased WordPiece vocabulary shipped with
 * sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), which was built from general English text.
 * Brand names that are ordinary words ("Today", "Focus", "Complete") are dropped, and abbreviations and
 * ingredient names that are ordinary words ("milk", "oxygen") are matched only with extra evidence,
 * because matching them in prose would mostly produce false medications and problems.
 */
import { readShared } from './sources.ts';

export function loadCommonWords(): Set<string> {
  const words = new Set<string>();
  for (const entry of readShared('tokenizers', 'minilm-wordpiece', 'vocab.txt').split(/\r?\n/)) {
    if (/^[a-z]{2,}$/.test(entry)) words.add(entry);
  }
  return words;
}
