/**
 * Where disease mentions begin and end, as the training annotations have it. Annotators are consistent about some
 * words next to a disease name where the network is not: BC5CDR leaves "severe", "metastatic" or "advanced" out of a
 * mention ("severe [hypotension]") but takes "postoperative" in ("postoperative nausea and vomiting"), and leaves
 * "threshold" out at its end ("[seizure] threshold"). The word lists are learned from the training split
 * (models/ner/build-memory.ts): a word that stood right before (or after) a training disease mention nearly every
 * time it met one, or that began one nearly every time.
 */
import type { TokenSpan } from './propagate.ts';
import type { NerToken } from './tokens.ts';

export interface DiseaseEdges {
  /** Lower-case words the annotators left out of the start of a disease mention. */
  leftOut: ReadonlySet<string>;
  /** Lower-case words the annotators took into the start of a disease mention. */
  takenIn: ReadonlySet<string>;
  /** Lower-case words the annotators left out of the end of a disease mention ("[seizure] threshold"). */
  leftOutAfter: ReadonlySet<string>;
}

const isWord = (token: NerToken | undefined) => !!token && /^\p{L}+$/u.test(token.text);

/**
 * Moves the edges of each disease span over the edge words: drops left-out words from its start and end (keeping
 * at least one word, and never leaving a modifier at its end) and takes in a free taken-in word right before it.
 */
export function adjustDiseaseEdges(
  tokens: ReadonlyArray<NerToken>,
  spans: ReadonlyArray<TokenSpan>,
  edges: DiseaseEdges,
  modifiers: ReadonlySet<string>,
): TokenSpan[] {
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
    let end = s.endToken;
    // Never down to a modifier: "heart [attack]" stays whole though "asthma [attack]" loses its last word.
    while (end - 1 > first && isWord(tokens[end - 1]) && edges.leftOutAfter.has(key(end - 1)) && !modifiers.has(key(end - 2))) end--;
    return first === s.firstToken && end === s.endToken ? s : { ...s, firstToken: first, endToken: end };
  });
}
