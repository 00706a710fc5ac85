/**
 * Folds coders' decisions back into the ranker. A reviewed note's accepted (and added) codes are its final
 * codes, so, as in training, every candidate of the note becomes a labelled example: the logistic weights are
 * refitted on them with a penalty towards the current weights (a few notes nudge the model, many move it; the
 * boosted trees stay as trained) and the operating threshold is re-chosen. The lexicon counts every phrase
 * occurrence of the reviewed notes and credits accepted codes to the phrases that were their evidence, so a
 * phrase whose suggestion coders reject loses precision and a phrase coders highlight for a code gains it;
 * code priors are updated too.
 * The result is a new ranker artifact with a new version; the current one is left untouched.
 */
import { structureNote } from '../../../notes/structuring/structure.ts';
import type { CodeSet } from '../code-set.ts';
import { problemSignals } from '../note-context.ts';
import { analyseText, type AnalysedText, type Phrase } from '../phrases.ts';
import { extractCandidates, featureNames } from '../ranker/features.ts';
import { treesMargin } from '../ranker/boosted-trees.ts';
import { fitLogistic, type TrainingRow } from '../ranker/logistic.ts';
import { loadRanker, rankerVersion, scoreFeatures, type Ranker, type RankerModelData } from '../ranker/model.ts';
import { termMatcherFor } from '../ranker/term-matcher.ts';
import { CodeSetError, dottedCode } from '../release.ts';
import { loadCodeSet } from '../versions.ts';
import { bestF1Threshold } from './train.ts';

export interface CodingDecision {
  /** The note text the decision was made on. */
  text: string;
  code: string;
  /** Accepted (or added by the coder) versus rejected. */
  accepted: boolean;
  /** The words the code rests on (offsets into `text`), e.g. a suggestion's evidence spans, when known. */
  evidence?: ReadonlyArray<{ start: number; end: number }>;
}

export interface LearnOptions {
  /** The ranker to start from (default: the active one). */
  ranker?: Ranker;
  /** The code set the decisions were made against (default: the ranker's). */
  codeSet?: CodeSet;
  /**
   * How strongly the current weights hold (an L2 pull towards them that does not grow with the number of
   * decisions): a handful of reviewed notes barely moves them, hundreds do. Default `defaultPriorStrength`.
   */
  priorStrength?: number;
}

export const defaultPriorStrength = 500;

export interface LearnResult {
  model: RankerModelData;
  /** Candidate rows the weights were refitted on (every candidate of every reviewed note). */
  weightRows: number;
  /** Lexicon phrase statistics updated. */
  phraseUpdates: number;
}

/** The phrases a decision is about: those inside its evidence spans, else those the lexicon already ties to the code. */
function decisionPhrases(phrases: ReadonlyArray<Phrase>, decision: CodingDecision, ranker: Ranker, code: string): Phrase[] {
  if (decision.evidence && decision.evidence.length > 0) {
    const inside = phrases.filter((p) => decision.evidence!.some((e) => p.start >= e.start && p.end <= e.end));
    // The longest phrase per evidence span: "left knee pain", not also "knee" and "pain".
    return decision.evidence.flatMap((e) => {
      const within = inside.filter((p) => p.start >= e.start && p.end <= e.end);
      const longest = within.reduce<Phrase | undefined>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), undefined);
      return longest ? [longest] : [];
    });
  }
  return ranker.mentionLexicon.lookup(phrases).filter((hit) => hit.code === code).map((hit) => hit.phrase);
}

interface NoteDecisions {
  text: AnalysedText;
  accepted: Set<string>;
  decisions: CodingDecision[];
}

export function learnFromDecisions(decisions: ReadonlyArray<CodingDecision>, options: LearnOptions = {}): LearnResult {
  const base = options.ranker ?? loadRanker();
  const codeSet = options.codeSet ?? loadCodeSet(base.codeSetVersion);
  const termMatcher = termMatcherFor(codeSet);

  // A reviewed note's accepted codes are its final codes: every other candidate is a negative, as in training.
  const notes = new Map<string, NoteDecisions>();
  for (const decision of decisions) {
    const code = dottedCode(decision.code);
    if (!codeSet.has(code)) throw new CodeSetError(`decision for ${decision.code}, which is not in ICD-10-CM ${codeSet.version}`);
    let note = notes.get(decision.text);
    if (!note) {
      note = { text: analyseText(decision.text), accepted: new Set(), decisions: [] };
      notes.set(decision.text, note);
    }
    note.decisions.push({ ...decision, code });
    if (decision.accepted) note.accepted.add(code);
  }

  // Features come from the current lexicon, which has not seen these notes, so they look as they will on new notes.
  const currentSources = {
    codeSet,
    mentionLexicon: base.mentionLexicon,
    cooccurrenceLexicon: base.cooccurrenceLexicon,
    termMatcher,
    priors: base.priors,
  };
  const rows: Array<{ note: NoteDecisions; code: string; row: TrainingRow }> = [];
  for (const note of notes.values()) {
    const problems = problemSignals(structureNote(note.decisions[0]!.text));
    for (const candidate of extractCandidates(note.text, currentSources, { ...problems, forcedCodes: [...note.accepted] })) {
      // A code with no evidence in the text (added by the coder from elsewhere) says nothing about the features.
      if (candidate.evidence.length === 0) continue;
      // The trees stay as trained: their margin is a fixed offset, and only the weights move.
      const offset = base.data.trees ? treesMargin(base.data.trees, candidate.features) : 0;
      rows.push({ note, code: candidate.code, row: { features: candidate.features, label: note.accepted.has(candidate.code) ? 1 : 0, offset } });
    }
  }
  const weights =
    rows.length > 0
      ? fitLogistic(rows.map((r) => r.row), featureNames.length, {
          priorWeights: base.data.weights,
          absoluteL2: options.priorStrength ?? defaultPriorStrength,
        })
      : [...base.data.weights];
  // The operating threshold moves with the weights: best F1 on the reviewed notes' candidates.
  const byNote = new Map<NoteDecisions, Array<{ code: string; score: number }>>();
  for (const { note, code, row } of rows) {
    const scores = byNote.get(note) ?? [];
    scores.push({ code, score: scoreFeatures({ weights, trees: base.data.trees }, row.features) });
    byNote.set(note, scores);
  }
  const threshold =
    rows.length > 0 ? bestF1Threshold([...byNote].map(([note, scores]) => ({ gold: note.accepted, scores }))) : base.threshold;

  const mentionLexicon = base.mentionLexicon.clone();
  const codeCounts = new Map(base.priors.codes);
  let phraseUpdates = 0;
  for (const note of notes.values()) {
    // Every phrase occurrence counts, as in training; accepted codes add to the phrases that were their evidence.
    const counted = new Set<string>();
    for (const phrase of note.text.phrases) {
      const id = `${phrase.sentence} ${phrase.key}`;
      if (counted.has(id)) continue;
      counted.add(id);
      mentionLexicon.countSentence(phrase.key);
    }
    for (const decision of note.decisions) {
      if (!decision.accepted) continue;
      const seen = new Set<string>();
      for (const phrase of decisionPhrases(note.text.phrases, decision, base, decision.code)) {
        if (seen.has(phrase.key)) continue;
        seen.add(phrase.key);
        mentionLexicon.addMention(phrase.key, decision.code);
        phraseUpdates++;
      }
    }
    for (const code of note.accepted) codeCounts.set(code, (codeCounts.get(code) ?? 0) + 1);
  }

  const decisionsLearned = base.data.decisionsLearned + decisions.length;
  const model: Omit<RankerModelData, 'version'> = {
    ...base.data,
    trainedOn: `${base.data.trainedOn.replace(/ \+ \d+ coder decisions$/, '')} + ${decisionsLearned} coder decisions`,
    weights: weights.map((w) => Number(w.toFixed(6))),
    threshold: Number(threshold.toFixed(6)),
    priors: {
      documents: base.priors.documents + notes.size,
      codes: [...codeCounts].sort(([a], [b]) => (a < b ? -1 : 1)),
      stems: base.data.priors.stems,
    },
    mentionLexicon: mentionLexicon.toJSON(),
    decisionsLearned,
  };
  return { model: { ...model, version: rankerVersion(model) }, weightRows: rows.length, phraseUpdates };
}
