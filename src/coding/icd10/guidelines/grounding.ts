/**
 * Grounding: whether the words of a suggestion's evidence support its code. They do when they share a content
 * word with the code's title, inclusion terms or index terms, after the coding lexicon's word forms,
 * abbreviations and drug classes (the Table of Drugs' classes for adverse effects); or when the structuring
 * lexicon maps the words to a code of the same category, or to a condition whose personal- or family-history code
 * this is (the classification's "conditions classifiable to" link). The coding-cases eval counts suggestions that fail this as unsupported.
 */
import { lexicons } from '../../../notes/structuring/lexicons.ts';
import { tokenize as clinicalTokens } from '../../../text/tokens.ts';
import type { CodeSet } from '../code-set.ts';
import { historyCodeFor } from '../history-codes.ts';
import { adverseEffectClasses, codingStems, drugClassOf } from './coding-lexicon.ts';
import { familyHistoryCode } from './guideline-coding.ts';

function termWords(codeSet: CodeSet, code: string): Set<string> {
  const record = codeSet.record(code);
  if (!record) return new Set();
  return codingStems([record.title, ...(record.inclusionTerms ?? []), ...(record.indexTerms ?? [])].join(' ; '));
}

/** The codes the structuring lexicon gives the phrases of a text (abbreviations and synonyms included). */
function lexiconCodes(text: string): string[] {
  const tokens = clinicalTokens(text);
  return lexicons().problems.matchAll(tokens).flatMap((m) => m.value.codes);
}

/** Ingredient names of the drugs a text names (brands included), from the structuring drug lexicon. */
function ingredients(text: string): string {
  return lexicons()
    .drugs.matchAll(clinicalTokens(text))
    .map((m) => m.value.display)
    .join(' ');
}

export function supportsCode(codeSet: CodeSet, code: string, evidenceText: string): boolean {
  const evidence = codingStems(evidenceText);
  const drugClass = drugClassOf(`${evidenceText} ${ingredients(evidenceText)}`);
  if (drugClass?.code === code || (drugClass && /^Z79\.5/.test(code) && /^Z79\.5/.test(drugClass.code))) {
    for (const w of codingStems(`${drugClass.className} ${codeSet.record(code)?.title ?? ''}`)) evidence.add(w);
  }
  // A drug the Table of Drugs files under the code's class ("lisinopril" for the ACE inhibitors' adverse effect).
  const adverse = adverseEffectClasses.find((c) => code.startsWith(c.code));
  if (adverse && adverse.drugs.some((d) => new RegExp(`\\b${d.replace(/[-\s]/g, '[-\\s]')}\\b`, 'i').test(evidenceText))) return true;
  const words = termWords(codeSet, code);
  for (const w of evidence) if (words.has(w)) return true;
  const record = codeSet.record(code);
  if (!record) return false;
  for (const lexiconCode of lexiconCodes(evidenceText)) {
    if (lexiconCode.slice(0, 3) === record.code.slice(0, 3)) return true;
    if (historyCodeFor(codeSet, lexiconCode, 'personal')?.record.code === record.code) return true;
    if (familyHistoryCode(codeSet, lexiconCode) === record.code) return true;
  }
  return false;
}
