/**
 * Finds, for each Spanish evidence span of a CodiEsp training document, the English phrase that translates it:
 * among the phrases of the aligned English sentence(s), the one that best combines spelling likeness to the
 * Spanish evidence (medical cognates), word overlap with the code's titles and terms, how often the phrase
 * co-occurs with the code across the corpus, and a similar length.
 */
import type { CodeSet } from '../code-set.ts';
import { analyseText, type AnalysedText, type Phrase } from '../phrases.ts';
import { fold } from '../../../text/fold.ts';
import { isContentStem, tokenize } from '../text.ts';
import { alignSentences, linesForSpanishRange } from './alignment.ts';
import type { CodiEspDocument } from './codiesp.ts';

export interface EnglishMention {
  code: string;
  key: string;
  start: number;
  end: number;
  sentence: number;
}

export interface MentionedDocument {
  document: CodiEspDocument;
  analysed: AnalysedText;
  mentions: EnglishMention[];
  /** English sentence indexes aligned with each code's Spanish evidence. */
  codesBySentence: Map<number, Set<string>>;
}

/** Spelling normalised so Spanish and English medical words look alike: hipoestesia/hypoesthesia. */
function cognateForm(text: string): string {
  return fold(text)
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/y/g, 'i')
    .replace(/k|qu/g, 'c')
    .replace(/[^a-z0-9 ]+/g, ' ');
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of text.split(/\s+/)) {
    if (word.length < 3) continue;
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return (2 * common) / (a.size + b.size);
}

function contentStemsOf(text: string): Set<string> {
  return new Set(tokenize(text).map((t) => t.stem).filter(isContentStem));
}

/** Content stems of a code's title, inclusion and index terms, and its parent's title (for 7th-character codes). */
function codeVocabulary(codeSet: CodeSet, code: string, cache: Map<string, Set<string>>): Set<string> {
  let stems = cache.get(code);
  if (stems) return stems;
  const record = codeSet.record(code);
  const parent = record?.parent ? codeSet.record(record.parent) : undefined;
  const texts = record ? [record.title, ...(record.inclusionTerms ?? []), ...(record.indexTerms ?? []), parent?.title ?? ''] : [];
  stems = contentStemsOf(texts.join(' '));
  cache.set(code, stems);
  return stems;
}

/** Sentence-level co-occurrence of phrase keys and the codes evidenced in the same English sentence. */
function cooccurrence(aligned: ReadonlyArray<{ analysed: AnalysedText; codesBySentence: Map<number, Set<string>> }>) {
  const sentencesWithKey = new Map<string, number>();
  const keyWithCode = new Map<string, number>();
  for (const { analysed, codesBySentence } of aligned) {
    const seen = new Set<string>();
    for (const phrase of analysed.phrases) {
      const id = `${phrase.sentence}\u0000${phrase.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      sentencesWithKey.set(phrase.key, (sentencesWithKey.get(phrase.key) ?? 0) + 1);
      for (const code of codesBySentence.get(phrase.sentence) ?? []) {
        const pair = `${phrase.key}\u0000${code}`;
        keyWithCode.set(pair, (keyWithCode.get(pair) ?? 0) + 1);
      }
    }
  }
  return (key: string, code: string) => (keyWithCode.get(`${key}\u0000${code}`) ?? 0) / ((sentencesWithKey.get(key) ?? 0) + 1);
}

/**
 * English mentions for every Spanish evidence span of the documents (documents without Spanish text or evidence
 * give none). One mention per evidence span; the same phrase may serve several codes.
 */
export function findEnglishMentions(documents: ReadonlyArray<CodiEspDocument>, codeSet: CodeSet): MentionedDocument[] {
  const aligned = documents.map((document) => {
    const analysed = analyseText(document.english);
    const evidenceSentences: Array<{ code: string; text: string; sentences: number[] }> = [];
    const codesBySentence = new Map<number, Set<string>>();
    if (document.spanish && document.evidence.length > 0) {
      const alignment = alignSentences(document.spanish, document.english);
      for (const evidence of document.evidence) {
        const [start, end] = [evidence.ranges[0]![0], evidence.ranges[evidence.ranges.length - 1]![1]];
        const lines = linesForSpanishRange(alignment, start, end);
        // English lines and analysed sentences coincide (the translation has one sentence per line), so map by offset.
        const sentences = analysed.sentences.flatMap((s, index) =>
          lines.some((l) => alignment.englishLines[l]!.start < s.end && s.start < alignment.englishLines[l]!.end) ? [index] : [],
        );
        evidenceSentences.push({ code: evidence.code, text: evidence.text, sentences });
        for (const s of sentences) {
          const set = codesBySentence.get(s) ?? new Set<string>();
          set.add(evidence.code);
          codesBySentence.set(s, set);
        }
      }
    }
    return { document, analysed, evidenceSentences, codesBySentence };
  });

  const association = cooccurrence(aligned);
  const vocabularyCache = new Map<string, Set<string>>();
  return aligned.map(({ document, analysed, evidenceSentences, codesBySentence }) => {
    const bySentence = new Map<number, Phrase[]>();
    for (const phrase of analysed.phrases) {
      const list = bySentence.get(phrase.sentence) ?? [];
      list.push(phrase);
      bySentence.set(phrase.sentence, list);
    }
    const mentions: EnglishMention[] = [];
    const taken = new Set<string>();
    for (const evidence of evidenceSentences) {
      const spanishGrams = trigrams(cognateForm(evidence.text));
      const spanishWords = evidence.text.split(/\s+/).filter((w) => w.length > 3).length || 1;
      const vocabulary = codeVocabulary(codeSet, evidence.code, vocabularyCache);
      let best: { phrase: Phrase; score: number } | undefined;
      for (const sentence of evidence.sentences) {
        for (const phrase of bySentence.get(sentence) ?? []) {
          const stems = phrase.key.split(' ');
          const titleOverlap = stems.filter((s) => vocabulary.has(s)).length / stems.length;
          const spelling = dice(spanishGrams, trigrams(cognateForm(document.english.slice(phrase.start, phrase.end))));
          const score =
            2 * spelling + 1.5 * titleOverlap + association(phrase.key, evidence.code) - 0.15 * Math.abs(phrase.contentStems - spanishWords);
          if (!best || score > best.score) best = { phrase, score };
        }
      }
      if (!best || best.score <= 0.2) continue;
      const id = `${best.phrase.start}:${best.phrase.end}:${evidence.code}`;
      if (taken.has(id)) continue;
      taken.add(id);
      const { key, start, end, sentence } = best.phrase;
      mentions.push({ code: evidence.code, key, start, end, sentence });
    }
    return { document, analysed, mentions, codesBySentence };
  });
}
