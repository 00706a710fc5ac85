import type { CodingDecision } from './learn.ts';
import type { StoredDecision } from '../../types.ts';

/**
 * Turns review decisions into ranker training signal: accepted and added codes are positives, a
 * rejected suggestion is a negative, and a replacement is both (the suggestion was wrong, its
 * replacement right). A decision about a suggested code carries the suggestion's evidence, so learning
 * credits (or debits) the very words the code rested on. Replacement and added codes get none: the coder may
 * have chosen them for other words of the note (say, "hypertensive heart disease" rather than the "hypertension"
 * behind the replaced I10), so learning falls back to the phrases its lexicon already ties to them. Later
 * decisions on the same note and code override earlier ones.
 */
export function decisionsForLearning(stored: readonly StoredDecision[]): CodingDecision[] {
  const latest = new Map<string, CodingDecision>();
  const put = (d: StoredDecision, code: string | null, accepted: boolean) => {
    if (!code) return;
    const evidence = code === d.suggestedCode && d.suggestedEvidence?.length ? d.suggestedEvidence : undefined;
    latest.set(`${d.noteId}\u0000${code}`, { text: d.text, code, accepted, ...(evidence ? { evidence } : {}) });
  };
  for (const d of stored) {
    if (d.action === 'accept' || d.action === 'add') put(d, d.finalCode, true);
    else if (d.action === 'reject') put(d, d.suggestedCode, false);
    else {
      put(d, d.suggestedCode, false);
      put(d, d.finalCode, true);
    }
  }
  return [...latest.values()];
}
