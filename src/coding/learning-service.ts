/**
 * Learning from the coders: the stored accept, reject, replace and add decisions become training signal and
 * refit the suggestion ranker. Writing and activating the new ranker is the caller's (the CLI's) step.
 */
import type { Queryable } from '../db/database.ts';
import { TooFewDecisionsError } from './errors.ts';
import { decisionsForLearning } from './icd10/training/decisions.ts';
import { learnFromDecisions, type LearnResult } from './icd10/training/learn.ts';
import { listDecisionsForLearning } from './repository.ts';

export interface LearningRun extends LearnResult {
  /** Decisions learnt from (the latest per note and code). */
  decisions: number;
}

/** Refits the active ranker on every stored decision; throws TooFewDecisionsError below `minDecisions`. */
export async function learnFromStoredDecisions(db: Queryable, minDecisions: number): Promise<LearningRun> {
  const decisions = decisionsForLearning(await listDecisionsForLearning(db));
  if (decisions.length < minDecisions) throw new TooFewDecisionsError(decisions.length);
  return { ...learnFromDecisions(decisions), decisions: decisions.length };
}
