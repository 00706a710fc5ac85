/**
 * Coding cases: notes with the codes a certified coder reports under the ICD-10-CM Official Guidelines (first
 * gold code principal or first-listed) and the codes a careless engine would propose (`must_not`). Each note goes
 * through the same path as `POST /v1/icd10/suggest` with text (structure, then code in the given setting).
 * Scored on the proposed codes: precision, recall, F1, MAP of the ranked list, must-not leaks, and unsupported
 * codes (proposed codes whose evidence shares no content word, synonym or abbreviation with the code's terms).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { codingSettings, type CodingSetting } from '../src/coding/icd10/guidelines/setting.ts';
import type { Suggestion } from '../src/coding/icd10/suggest.ts';
import { averagePrecision } from './codiesp.ts';

const codePattern = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

export const codingCaseSchema = z
  .object({
    id: z.string().min(1),
    setting: z.enum(codingSettings),
    text: z.string().min(1),
    gold: z.array(z.string().regex(codePattern, 'an ICD-10-CM code with its dot, e.g. E11.22')).min(1),
    must_not: z.array(z.string().regex(codePattern, 'an ICD-10-CM code with its dot, e.g. R50.9')).default([]),
  })
  .strict();

export type CodingCase = z.infer<typeof codingCaseSchema>;

export class CodingCasesFormatError extends Error {
  override readonly name = 'CodingCasesFormatError';
}

/** Parses JSON lines; a malformed line throws an error naming the file, the line and what is wrong. */
export function parseCodingCases(content: string, source = 'cases'): CodingCase[] {
  const cases: CodingCase[] = [];
  const ids = new Set<string>();
  content.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}, line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new CodingCasesFormatError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = codingCaseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CodingCasesFormatError(`${where}: ${issue.path.join('.') || 'case'}: ${issue.message}`);
    }
    if (ids.has(parsed.data.id)) throw new CodingCasesFormatError(`${where}: duplicate id ${parsed.data.id}`);
    ids.add(parsed.data.id);
    cases.push(parsed.data);
  });
  if (cases.length === 0) throw new CodingCasesFormatError(`${source}: no cases`);
  return cases;
}

export function readCodingCases(file: string): CodingCase[] {
  return parseCodingCases(readFileSync(file, 'utf8'), file);
}

export interface CaseOutcome {
  id: string;
  setting: CodingSetting;
  proposed: string[];
  misses: string[];
  falsePositives: string[];
  leaks: string[];
  unsupported: string[];
  principalCorrect: boolean;
  ms: number;
}

export interface CodingCasesResult {
  suite: 'coding-cases';
  n: number;
  precision: number;
  recall: number;
  f1: number;
  map: number;
  must_not_leaks: number;
  unsupported: number;
  /** Median milliseconds per note (structuring and coding). */
  ms_per_note: number;
}

export interface CodingCasesEvaluation {
  result: CodingCasesResult;
  /** Share of cases whose first proposed code is the first gold code. */
  principalAccuracy: number;
  /** Precision of the proposed codes at each confidence level: what a level means on these cases. */
  byConfidence: Array<{ confidence: string; proposed: number; precision: number }>;
  cases: CaseOutcome[];
}

export type CaseCoder = (text: string, setting: CodingSetting) => Suggestion[] | Promise<Suggestion[]>;
export type EvidenceCheck = (code: string, evidenceText: string) => boolean;

const round = (x: number) => Number(x.toFixed(4));

export async function evaluateCodingCases(cases: ReadonlyArray<CodingCase>, code: CaseCoder, supports: EvidenceCheck, onCase?: () => void): Promise<CodingCasesEvaluation> {
  let truePositives = 0;
  let proposedCount = 0;
  let goldCount = 0;
  let apSum = 0;
  let leaks = 0;
  let unsupported = 0;
  let principal = 0;
  const times: number[] = [];
  const outcomes: CaseOutcome[] = [];
  const levels = new Map<string, { proposed: number; correct: number }>();
  for (const c of cases) {
    const started = performance.now();
    const suggestions = await code(c.text, c.setting);
    const ms = performance.now() - started;
    times.push(ms);
    const gold = new Set(c.gold);
    const proposed = suggestions.filter((s) => s.proposed);
    const proposedCodes = [...new Set(proposed.map((s) => s.code))];
    const mustNot = new Set(c.must_not);
    const unsupportedCodes = proposed.filter((s) => !s.evidence.some((e) => supports(s.code, e.text))).map((s) => s.code);
    truePositives += proposedCodes.filter((p) => gold.has(p)).length;
    for (const code of proposedCodes) {
      const level = levels.get(proposed.find((s) => s.code === code)!.confidence) ?? { proposed: 0, correct: 0 };
      level.proposed++;
      if (gold.has(code)) level.correct++;
      levels.set(proposed.find((s) => s.code === code)!.confidence, level);
    }
    proposedCount += proposedCodes.length;
    goldCount += gold.size;
    apSum += averagePrecision(suggestions.map((s) => s.code), gold);
    const leaked = proposedCodes.filter((p) => mustNot.has(p));
    leaks += leaked.length;
    unsupported += unsupportedCodes.length;
    if (proposedCodes[0] === c.gold[0]) principal++;
    outcomes.push({
      id: c.id,
      setting: c.setting,
      proposed: proposedCodes,
      misses: c.gold.filter((g) => !proposedCodes.includes(g)),
      falsePositives: proposedCodes.filter((p) => !gold.has(p)),
      leaks: leaked,
      unsupported: unsupportedCodes,
      principalCorrect: proposedCodes[0] === c.gold[0],
      ms,
    });
    onCase?.();
  }
  const precision = proposedCount > 0 ? truePositives / proposedCount : 0;
  const recall = goldCount > 0 ? truePositives / goldCount : 0;
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    result: {
      suite: 'coding-cases',
      n: cases.length,
      precision: round(precision),
      recall: round(recall),
      f1: round(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0),
      map: round(apSum / cases.length),
      must_not_leaks: leaks,
      unsupported,
      ms_per_note: Number(median.toFixed(2)),
    },
    principalAccuracy: round(principal / cases.length),
    byConfidence: [...levels].sort(([a], [b]) => (a < b ? -1 : 1)).map(([confidence, l]) => ({ confidence, proposed: l.proposed, precision: round(l.correct / l.proposed) })),
    cases: outcomes,
  };
}
