/**
 * The coder's view of text (src/text): word tokens with offsets into the original text, folded, each with the key
 * it is matched on, sentences as the shared splitter finds them, and the function words code titles are full of.
 * Both sides of every comparison (note text, titles, learned mentions) go through the same functions.
 */
import { fold } from '../../text/fold.ts';
import { splitSentences as splitProseSentences, type Sentence } from '../../text/sentences.ts';
import { stem } from '../../text/stem.ts';
import { tokenIndexAt, tokenize as tokenizeText } from '../../text/tokens.ts';

export type { Sentence };

export interface Token {
  /** Folded, lowercased surface form. */
  text: string;
  /** Key used for matching (see `wordKey`). */
  stem: string;
  start: number;
  end: number;
}

/**
 * Organ and bone adjectives and their nouns share one key: notes say "renal" where titles say "kidney" and the
 * other way round ("kidney transplant" / "renal transplantation", "liver cirrhosis" / "hepatic cirrhosis",
 * "femoral neck fracture" / "fracture of neck of femur").
 */
const organSynonyms: Readonly<Record<string, string>> = {
  renal: 'kidney',
  nephric: 'kidney',
  hepatic: 'liver',
  pulmonary: 'lung',
  cardiac: 'heart',
  cutaneous: 'skin',
  dermal: 'skin',
  vesical: 'bladder',
  ocular: 'eye',
  cerebral: 'brain',
  gastric: 'stomach',
  testicular: 'testis',
  testicle: 'testis',
  ovarian: 'ovary',
  uterine: 'uterus',
  splenic: 'spleen',
  osseous: 'bone',
  femoral: 'femur',
  humeral: 'humerus',
  tibial: 'tibia',
  fibular: 'fibula',
  vertebral: 'vertebra',
  clavicular: 'clavicle',
  scapular: 'scapula',
  patellar: 'patella',
  mandibular: 'mandible',
  maxillary: 'maxilla',
  pelvic: 'pelvis',
  sacral: 'sacrum',
  cranial: 'skull',
};

/** The matching key of a folded word: its stem at inflection strength, with organ adjectives mapped to their noun. */
export function wordKey(folded: string): string {
  const synonym = organSynonyms[folded];
  return stem(synonym ?? folded, 'inflection');
}

/** Alphanumeric runs (code titles are compared word by word, whatever symbols stand between). */
export function tokenize(text: string): Token[] {
  return tokenizeText(text, 'alphanumeric').map((t) => {
    const folded = fold(t.text);
    return { text: folded, stem: wordKey(folded), start: t.start, end: t.end };
  });
}

/** Words that carry no diagnostic content in code titles and mention phrases. */
export const functionWords: ReadonlySet<string> = new Set(
  [
    'a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'without', 'from', 'as',
    'due', 'other', 'unspecified', 'specified', 'nos', 'nec', 'not', 'elsewhere', 'classified', 'type', 'site',
    'part', 'than', 'its', 'is', 'be', 'was', 'were', 'has', 'had', 'have', 'this', 'that', 'which', 'who',
    'use', 'code', 'codes', 'additional', 'any', 'such', 'into', 'but', 'are', 'his', 'her', 'their', 'she', 'he',
  ].map((word) => stem(word, 'inflection')),
);

export function isContentStem(stemmed: string): boolean {
  return !functionWords.has(stemmed) && stemmed.length > 1;
}

/**
 * The shared splitter's sentences over the coder's tokens, those without a word left out, in the `one-per-line`
 * layout: clinical notes and the CodiEsp translations put one sentence or one list item per line.
 */
export function splitSentences(text: string, tokens: ReadonlyArray<Pick<Token, 'start'>>): Sentence[] {
  return splitProseSentences(text, tokenizeText(text), 'one-per-line')
    .map((s) => ({ start: s.start, end: s.end, firstToken: tokenIndexAt(tokens, s.start), endToken: tokenIndexAt(tokens, s.end) }))
    .filter((s) => s.endToken > s.firstToken);
}
