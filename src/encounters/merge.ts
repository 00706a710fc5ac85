/**
 * An encounter's suggestions from its notes' suggestions: one per code, with the evidence of every note (each
 * span naming its note and set in its sentence), ordered the way the claim is sequenced: the principal (or
 * first-listed) diagnosis first by the engine's roles, then the other proposed codes, then the candidates.
 */
import { proposePoa, type PoaProposal } from '../coding/poa.ts';

import type { Assertion, CodeRole, Suggestion } from '../coding/icd10/suggest.ts';
import type { EncounterType } from '../coding/types.ts';

export interface EncounterNoteCodes {
  noteId: string;
  authoredAt: Date;
  kind: string;
  text: string;
  suggestions: readonly Suggestion[];
}

export interface MergedEvidence {
  noteId: string;
  start: number;
  end: number;
  text: string;
  source: string;
  /** The engine's reading of the mention (present, absent, possible, historical, family, hypothetical) when it gives one. */
  assertion?: Assertion | undefined;
  /** The sentence around the span, with the span's offsets inside it. */
  sentence: { text: string; start: number; end: number };
}

/** Role and rule are optional: notes coded before the engine gave them have neither. */
export interface MergedSuggestion extends Omit<Suggestion, 'evidence' | 'role' | 'rule'> {
  role?: CodeRole | undefined;
  rule?: string | undefined;
  evidence: MergedEvidence[];
  /** The notes that suggested the code. */
  noteIds: string[];
  /** Inpatient encounters: the POA indicator the text supports, if it says. */
  poaProposal?: PoaProposal | undefined;
}

const SENTENCE_END = /[.!?\n]/;

/** The sentence holding text[start, end): from after the previous sentence end to the next one (inclusive). */
export function sentenceAround(text: string, start: number, end: number): { text: string; start: number; end: number } {
  let from = start;
  while (from > 0 && !SENTENCE_END.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && !SENTENCE_END.test(text[to]!)) to++;
  if (to < text.length && text[to] !== '\n') to++;
  const raw = text.slice(from, to);
  const lead = raw.length - raw.trimStart().length;
  const sentence = raw.trim();
  return { text: sentence, start: start - from - lead, end: end - from - lead };
}

const roleOf = (s: Suggestion): CodeRole | undefined => s.role;
const ruleOf = (s: Suggestion): string | undefined => s.rule;

/**
 * Merges notes' suggestions (notes in any order; they are taken oldest first). A code is proposed when any note
 * proposes it and scores its best. The principal is the principal of the latest note that names one (the
 * discharge summary of a stay); the engine's other principals become secondary. Without roles, the order is
 * proposed codes by score, as the engine ranks a single note.
 */
export function mergeEncounterSuggestions(notes: readonly EncounterNoteCodes[], encounterType: EncounterType): MergedSuggestion[] {
  const ordered = [...notes].sort((a, b) => a.authoredAt.getTime() - b.authoredAt.getTime());
  const byCode = new Map<string, MergedSuggestion>();
  let principal: string | undefined;
  for (const note of ordered) {
    for (const s of note.suggestions) {
      if (roleOf(s) === 'principal' && s.proposed) principal = s.code;
      const evidence = s.evidence.map((e) => ({
        noteId: note.noteId,
        start: e.start,
        end: e.end,
        text: e.text,
        source: e.source,
        ...(e.assertion ? { assertion: e.assertion } : {}),
        sentence: sentenceAround(note.text, e.start, e.end),
      }));
      const seen = byCode.get(s.code);
      if (!seen) {
        byCode.set(s.code, { ...s, role: roleOf(s), rule: ruleOf(s), evidence, noteIds: [note.noteId], flags: [...s.flags] });
        continue;
      }
      if (s.score > seen.score) {
        seen.score = s.score;
        if (ruleOf(s)) seen.rule = ruleOf(s);
      }
      seen.proposed ||= s.proposed;
      if (!seen.role || (roleOf(s) && seen.role !== 'principal')) seen.role = roleOf(s) ?? seen.role;
      seen.evidence.push(...evidence);
      if (!seen.noteIds.includes(note.noteId)) seen.noteIds.push(note.noteId);
      for (const flag of s.flags) if (!seen.flags.some((f) => f.kind === flag.kind && f.message === flag.message)) seen.flags.push(flag);
    }
  }
  const merged = [...byCode.values()];
  for (const s of merged) {
    if (s.role === 'principal' && s.code !== principal) s.role = 'secondary';
    if (encounterType === 'inpatient') s.poaProposal = proposePoa(s.code, s.evidence.map((e) => e.sentence));
  }
  merged.sort((a, b) => Number(b.code === principal) - Number(a.code === principal) || Number(b.proposed) - Number(a.proposed) || b.score - a.score);
  merged.forEach((s, i) => (s.rank = i + 1));
  return merged;
}
