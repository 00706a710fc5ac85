/**
 * Measures learning from coder decisions on CodiEsp without touching anything held back: a ranker trained on
 * half of the train split reviews the other half as a coder would (accept proposed gold codes, reject
 * proposed non-gold codes, add missed gold codes highlighting the words they rest on, here the English
 * phrases aligned with the CodiEsp evidence), learns from those decisions, and both rankers are scored on
 * dev. A ranker trained on the whole train split is shown for reference. Codes follow the CodiEsp convention
 * (every mention coded), as its gold does.
 */
import type { CodeSet } from '../src/coding/icd10/code-set.ts';
import { Ranker } from '../src/coding/icd10/ranker/model.ts';
import { suggestCodes } from '../src/coding/icd10/suggest.ts';
import { readCodiEspSplit } from '../src/coding/icd10/training/codiesp-files.ts';
import { learnFromDecisions, type CodingDecision } from '../src/coding/icd10/training/learn.ts';
import { findEnglishMentions } from '../src/coding/icd10/training/mentions.ts';
import { trainRanker } from '../src/coding/icd10/training/train.ts';
import { rankedListLength, scoreDocuments } from './codiesp.ts';

export interface LearningResult {
  decisions: number;
  accepted: number;
  rejected: number;
  added: number;
  map_before: number;
  map_after: number;
  f1_before: number;
  f1_after: number;
  map_full_train: number;
}

export function evaluateLearning(dir: string, codeSet: CodeSet, onStep?: (step: string) => void): LearningResult {
  const train = readCodiEspSplit(dir, 'train');
  const dev = readCodiEspSplit(dir, 'dev');
  const half = train.filter((_, i) => i % 2 === 0);
  const reviewed = train.filter((_, i) => i % 2 === 1);

  onStep?.('training on half of train');
  const base = new Ranker(trainRanker(half, codeSet, { trainedOn: 'CodiEsp train, even documents' }));
  onStep?.('simulating coder review of the other half');
  const decisions: CodingDecision[] = [];
  let accepted = 0;
  let rejected = 0;
  let added = 0;
  for (const { document, mentions } of findEnglishMentions(reviewed, codeSet)) {
    const gold = new Set(document.codes);
    const proposed = suggestCodes({ text: document.english }, { ranker: base, top: 40, codeAllMentions: true }).filter((s) => s.proposed);
    for (const s of proposed) {
      const isGold = gold.has(s.code);
      decisions.push({ text: document.english, code: s.code, accepted: isGold, evidence: s.evidence });
      if (isGold) accepted++;
      else rejected++;
    }
    for (const code of gold) {
      if (proposed.some((s) => s.code === code) || !codeSet.has(code)) continue;
      const evidence = mentions.filter((m) => m.code === code).map(({ start, end }) => ({ start, end }));
      decisions.push({ text: document.english, code, accepted: true, evidence });
      added++;
    }
  }
  onStep?.('learning from the decisions');
  const learned = new Ranker(learnFromDecisions(decisions, { ranker: base, codeSet }).model);
  onStep?.('scoring on dev');
  const score = (ranker: Ranker) =>
    scoreDocuments(dev, (d) => suggestCodes({ text: d.english }, { ranker, top: rankedListLength, codeAllMentions: true }));
  const before = score(base);
  const after = score(learned);
  const full = score(new Ranker(trainRanker(train, codeSet, { trainedOn: 'CodiEsp train' })));
  return {
    decisions: decisions.length,
    accepted,
    rejected,
    added,
    map_before: before.map,
    map_after: after.map,
    f1_before: before.f1,
    f1_after: after.f1,
    map_full_train: full.map,
  };
}
