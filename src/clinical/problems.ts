/**
 * Problems, diagnoses and symptoms: longest-match lookup of the ICD-10-CM-derived problem lexicon over each
 * sentence, each mention with its candidate codes, section and ConText context.
 */
import { mentionContext } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons, type ProblemTerm } from './lexicons.ts';
import type { Problem, Span } from './schema.ts';

/**
 * Headed sections whose findings are captured by a more specific extractor (allergy reactions, not problems). A
 * stretch only guessed from its content ("Complete doxycycline course." reads like a medication list) is not one.
 * A condition in a medication list ("lisinopril for hypertension") is still the patient's problem.
 */
const skippedSections = new Set(['allergies']);

export function problemCategory(code: string): Problem['category'] {
  const letter = code[0]!;
  if (letter === 'R') return Number(code.slice(1, 3)) >= 70 ? 'finding' : 'symptom';
  if (letter >= 'V' && letter <= 'Y') return 'external_cause';
  return 'diagnosis';
}

function confidenceOf(term: ProblemTerm, tokenCount: number): number {
  // One-word matches ("cold", "stroke") are more often used in another sense than multi-word terms.
  const lengthFactor = tokenCount > 1 ? 1 : term.source === 'abbreviation' ? 0.95 : 0.9;
  return Math.round(term.confidence * lengthFactor * 100) / 100;
}

/**
 * `excluded`: spans another extractor owns (an allergy's reactions: "penicillin (hives)" is not a hives problem;
 * a drug name: "tetanus toxoid given" is a vaccine, not tetanus).
 */
export function extractProblems(doc: NoteDocument, excluded: ReadonlyArray<Span> = []): Problem[] {
  const problems: Problem[] = [];
  const { problems: index } = lexicons();
  for (const sentence of doc.sentences) {
    for (const match of index.matchAll(doc.tokens, sentence.firstToken, sentence.endToken)) {
      if (doc.inHeader(match.start)) continue;
      const section = doc.sectionAt(match.start);
      if (section && section.headerStart !== null && skippedSections.has(section.type)) continue;
      if (excluded.some((e) => match.start < e.end && match.end > e.start)) continue;
      const term = match.value;
      problems.push({
        id: `p${problems.length + 1}`,
        start: match.start,
        end: match.end,
        text: doc.text.slice(match.start, match.end),
        category: problemCategory(term.codes[0]!),
        term: term.display,
        candidateCodes: term.codes,
        matchedBy: term.source,
        sectionId: section?.id ?? null,
        sectionType: section?.type ?? null,
        context: mentionContext(doc, match.start, match.end, section?.type ?? null),
        confidence: confidenceOf(term, match.words),
        source: 'rules',
      });
    }
  }
  return problems;
}
