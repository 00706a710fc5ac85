/**
 * Coordinated disease mentions as the training annotations mark them. When modifiers are coordinated before one
 * head noun, "glomerular and tubular lesions", "Myoclonic, atonic, and absence seizures", "renal or hepatic
 * failure", BC5CDR and NCBI-disease mark the whole phrase as one mention; the network tends to find only the last
 * conjunct ("tubular lesions"), sometimes with the first modifier as a mention of its own ("Subarachnoid").
 *
 * Which words are modifiers is learned from the training split (models/ner/build-memory.ts): words seen before the
 * last word of a training disease mention more often than as its last word ("renal", "glomerular", "optic"). In
 * the training text, when the word before "and"/"or" is such a modifier and a two-word disease mention starting with
 * another one follows, the annotators marked the whole phrase 34 times out of 39.
 */
import type { TokenSpan } from './propagate.ts';
import type { NerToken } from './tokens.ts';

const conjunctions = new Set(['and', 'or']);
const isWord = (token: NerToken | undefined) => !!token && /^\p{L}+$/u.test(token.text);

/**
 * Extends each disease span of two or three words that starts with a modifier leftwards over "W, W, and" / "W or"
 * when every W is a modifier, taking in a one-word span the network found there.
 */
export function joinCoordinatedModifiers(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>, modifiers: ReadonlySet<string>): TokenSpan[] {
  const isModifier = (token: NerToken | undefined) => isWord(token) && modifiers.has(token!.text.toLowerCase());
  // Token → index of the span holding it, -1 when free.
  const owner = new Int32Array(tokens.length).fill(-1);
  spans.forEach((s, k) => owner.fill(k, s.firstToken, s.endToken));
  const absorbed = new Set<number>();
  const extended = new Map<number, TokenSpan>();
  spans.forEach((s, k) => {
    const words = s.endToken - s.firstToken;
    if (s.type !== 'disease' || words < 2 || words > 3 || !isModifier(tokens[s.firstToken])) return;
    let conjunction = s.firstToken - 1;
    if (!conjunctions.has(tokens[conjunction]?.text.toLowerCase() ?? '')) return;
    if (tokens[conjunction - 1]?.text === '/' && conjunctions.has(tokens[conjunction - 2]?.text.toLowerCase() ?? '')) conjunction -= 2; // "and/or"
    // A one-word modifier, free or a one-word span of its own, before the conjunction (after an optional comma).
    const modifierAt = (i: number) => isModifier(tokens[i]) && (owner[i] === -1 || spans[owner[i]!]!.endToken - spans[owner[i]!]!.firstToken === 1);
    let first = tokens[conjunction - 1]?.text === ',' ? conjunction - 2 : conjunction - 1;
    if (!modifierAt(first)) return;
    while (tokens[first - 1]?.text === ',' && modifierAt(first - 2)) first -= 2;
    for (let i = first; i < s.firstToken; i++) if (owner[i] !== -1) absorbed.add(owner[i]!);
    extended.set(k, { ...s, firstToken: first });
  });
  if (extended.size === 0) return [...spans];
  return spans.flatMap((s, k) => (absorbed.has(k) && !extended.has(k) ? [] : [extended.get(k) ?? s]));
}
