/**
 * Word-level text handling shared by code search and code suggestion: tokens with offsets into the
 * original text, accent folding, a light suffix stemmer, and the function words code titles are full of.
 * Both sides of every comparison (note text, titles, learned mentions) go through the same functions.
 */

export interface Token {
  /** Folded, lowercased surface form. */
  text: string;
  /** Stem used for matching. */
  stem: string;
  start: number;
  end: number;
}

export function fold(text: string): string {
  // Most text is ASCII; skipping normalisation there keeps indexing the whole code set fast.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * Strips common English inflections so "edemas"/"edema", "fractures"/"fractured"/"fracture" meet.
 * Deliberately conservative: it only has to map variants onto the same key, not find linguistic roots.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
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

/** The matching key of a folded word: its stem, with organ adjectives mapped to their noun. */
export function wordKey(folded: string): string {
  const synonym = organSynonyms[folded];
  return stem(synonym ?? folded);
}

const wordPattern = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const folded = fold(match[0]);
    tokens.push({ text: folded, stem: wordKey(folded), start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

/** Words that carry no diagnostic content in code titles and mention phrases. */
export const functionWords: ReadonlySet<string> = new Set(
  [
    'a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'without', 'from', 'as',
    'due', 'other', 'unspecified', 'specified', 'nos', 'nec', 'not', 'elsewhere', 'classified', 'type', 'site',
    'part', 'than', 'its', 'is', 'be', 'was', 'were', 'has', 'had', 'have', 'this', 'that', 'which', 'who',
    'use', 'code', 'codes', 'additional', 'any', 'such', 'into', 'but', 'are', 'his', 'her', 'their', 'she', 'he',
  ].map(stem),
);

export function isContentStem(stemmed: string): boolean {
  return !functionWords.has(stemmed) && stemmed.length > 1;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index of the sentence's first token in the document's token array. */
  firstToken: number;
  /** One past the sentence's last token. */
  endToken: number;
}

/**
 * Splits on line breaks and on sentence-final punctuation followed by a capital letter or digit.
 * Clinical notes and the CodiEsp translations put one sentence or one list item per line, which this respects.
 */
export function splitSentences(text: string, tokens: ReadonlyArray<Token>): Sentence[] {
  const boundaries: number[] = [];
  for (const match of text.matchAll(/\n|[.!?;](?=\s+[\p{Lu}\d])/gu)) boundaries.push(match.index + 1);
  boundaries.push(text.length);
  const sentences: Sentence[] = [];
  let start = 0;
  let tokenIndex = 0;
  for (const end of boundaries) {
    const firstToken = tokenIndex;
    while (tokenIndex < tokens.length && tokens[tokenIndex]!.start < end) tokenIndex++;
    if (tokenIndex > firstToken) sentences.push({ start, end, firstToken, endToken: tokenIndex });
    start = end;
  }
  return sentences;
}
