/**
 * Where disease mentions begin, as the training annotations have it. Annotators are consistent about some words
 * next to a disease name and the network is not: BC5CDR leaves "acute", "chronic" or "complete" out of a mention
 * ("acute [heart failure]") but takes "postoperative" or "fulminant" in. The word lists are learned from the
 * training split (models/ner/build-memory.ts): a word that stood right before a training disease mention (left
 * out) nearly every time it met one, or that began one (taken in) nearly every time.
 */
import type { TokenSpan } from './propagate.ts';
import type { NerToken } from './tokens.ts';

export interface DiseaseEdges {
  /** Lower-case words the annotators left out of the start of a disease mention. */
  leftOut: ReadonlySet<string>;
  /** Lower-case words the annotators took into the start of a disease mention. */
  takenIn: ReadonlySet<string>;
}

const isWord = (token: NerToken | undefined) => !!token && /^\p{L}+$/u.test(token.text);

/**
 * Moves the start of each disease span over the edge words: drops left-out words from its start (keeping at
 * least one word) and takes in a free taken-in word right before it.
 */
export function adjustDiseaseStarts(tokens: ReadonlyArray<NerToken>, spans: ReadonlyArray<TokenSpan>, edges: DiseaseEdges): TokenSpan[] {
  const taken = new Uint8Array(tokens.length);
  for (const s of spans) taken.fill(1, s.firstToken, s.endToken);
  const key = (i: number) => tokens[i]!.text.toLowerCase();
  return spans.map((s) => {
    if (s.type !== 'disease') return s;
    let first = s.firstToken;
    while (first < s.endToken - 1 && isWord(tokens[first]) && edges.leftOut.has(key(first))) first++;
    if (first === s.firstToken) {
      const before = first - 1;
      if (before >= 0 && !taken[before] && isWord(tokens[before]) && edges.takenIn.has(key(before)) && tokens[before]!.end < tokens[first]!.start) first = before;
    }
    return first === s.firstToken ? s : { ...s, firstToken: first };
  });
}
