/**
 * Candidate phrases of a text: every run of up to `maxPhraseTokens` tokens inside one sentence that starts and
 * ends on a content word. A phrase's key is its sorted, de-duplicated content stems, so "chest pain" and
 * "pain in the chest" meet. The learned lexicon is keyed the same way, at training and at suggestion time.
 */
import { isContentStem, splitSentences, tokenize, type Sentence, type Token } from './text.ts';

export const maxPhraseTokens = 6;
export const maxPhraseContentStems = 4;

export interface Phrase {
  key: string;
  /** Content stems in text order. */
  stems: string[];
  /** Offsets into the text. */
  start: number;
  end: number;
  sentence: number;
  contentStems: number;
}

export interface AnalysedText {
  text: string;
  tokens: Token[];
  sentences: Sentence[];
  phrases: Phrase[];
}

export function phraseKey(stems: ReadonlyArray<string>): string {
  return [...new Set(stems)].sort().join(' ');
}

export function phrasesOf(tokens: ReadonlyArray<Token>, sentences: ReadonlyArray<Sentence>): Phrase[] {
  const phrases: Phrase[] = [];
  const content = tokens.map((t) => isContentStem(t.stem));
  sentences.forEach((sentence, sentenceIndex) => {
    for (let i = sentence.firstToken; i < sentence.endToken; i++) {
      if (!content[i]) continue;
      const stems: string[] = [];
      for (let j = i; j < sentence.endToken && j < i + maxPhraseTokens; j++) {
        if (!content[j]) continue;
        stems.push(tokens[j]!.stem);
        if (stems.length > maxPhraseContentStems) break;
        phrases.push({
          key: phraseKey(stems),
          stems: [...stems],
          start: tokens[i]!.start,
          end: tokens[j]!.end,
          sentence: sentenceIndex,
          contentStems: stems.length,
        });
      }
    }
  });
  return phrases;
}

export function analyseText(text: string): AnalysedText {
  const tokens = tokenize(text);
  const sentences = splitSentences(text, tokens);
  return { text, tokens, sentences, phrases: phrasesOf(tokens, sentences) };
}
