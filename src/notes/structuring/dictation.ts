/**
 * Dictation transcripts: spoken punctuation and commands ("period", "comma", "new paragraph", "next line",
 * "colon", "open/close parenthesis", "scratch that") are applied before extraction, and an offset map leads
 * every position of the resulting text back to the raw transcript.
 *
 * Words that are also ordinary words are commands only where they cannot be the word: "a period of two weeks",
 * "the sigmoid colon", "colon cancer" keep their meaning.
 */
import { sectionTypeForHeader } from './section-catalog.ts';

export interface OffsetMap {
  /** Raw-transcript offset of a start position in the processed text. */
  toRawStart(offset: number): number;
  /** Raw-transcript offset of an (exclusive) end position in the processed text. */
  toRawEnd(offset: number): number;
}

export interface ProcessedDictation {
  raw: string;
  text: string;
  map: OffsetMap;
}

interface Segment {
  /** Offsets in the processed text. */
  start: number;
  end: number;
  /** Offsets in the raw transcript. */
  rawStart: number;
  rawEnd: number;
  /** Copied text maps character by character; inserted punctuation maps to its whole spoken command. */
  copied: boolean;
  text: string;
}

type Command = { kind: 'punct'; text: string; attach: 'left' | 'right' | 'none' } | { kind: 'break'; text: string } | { kind: 'scratch' };

const commands: Array<[string[], Command]> = [
  [['new', 'paragraph'], { kind: 'break', text: '\n\n' }],
  [['next', 'paragraph'], { kind: 'break', text: '\n\n' }],
  [['new', 'line'], { kind: 'break', text: '\n' }],
  [['next', 'line'], { kind: 'break', text: '\n' }],
  [['scratch', 'that'], { kind: 'scratch' }],
  [['delete', 'that'], { kind: 'scratch' }],
  [['full', 'stop'], { kind: 'punct', text: '.', attach: 'left' }],
  [['period'], { kind: 'punct', text: '.', attach: 'left' }],
  [['comma'], { kind: 'punct', text: ',', attach: 'left' }],
  [['semicolon'], { kind: 'punct', text: ';', attach: 'left' }],
  [['colon'], { kind: 'punct', text: ':', attach: 'left' }],
  [['question', 'mark'], { kind: 'punct', text: '?', attach: 'left' }],
  [['exclamation', 'point'], { kind: 'punct', text: '!', attach: 'left' }],
  [['exclamation', 'mark'], { kind: 'punct', text: '!', attach: 'left' }],
  [['open', 'parenthesis'], { kind: 'punct', text: '(', attach: 'right' }],
  [['open', 'paren'], { kind: 'punct', text: '(', attach: 'right' }],
  [['close', 'parenthesis'], { kind: 'punct', text: ')', attach: 'left' }],
  [['close', 'paren'], { kind: 'punct', text: ')', attach: 'left' }],
  [['hyphen'], { kind: 'punct', text: '-', attach: 'none' }],
  [['slash'], { kind: 'punct', text: '/', attach: 'none' }],
];

/** Words before "period" / "colon" that make them nouns, and words after "colon" that make it anatomy. */
const periodNounBefore = new Set(['a', 'the', 'this', 'that', 'each', 'every', 'menstrual', 'last', 'trial', 'observation', 'postoperative', 'waiting', 'short', 'long', 'refractory', 'incubation', 'washout', 'grace', 'time']);
const colonNounBefore = new Set(['the', 'a', 'sigmoid', 'ascending', 'descending', 'transverse', 'right', 'left', 'his', 'her', 'of', 'in', 'entire', 'distal', 'proximal', 'redundant', 'spastic', 'irritable']);
const colonNounAfter = new Set(['cancer', 'polyp', 'polyps', 'mass', 'resection', 'carcinoma', 'wall', 'mucosa', 'and', 'was', 'is', 'were', 'appeared', 'showed', 'with']);

interface Word {
  text: string;
  lower: string;
  start: number;
  end: number;
}

function isCommand(words: Word[], i: number, cmd: string[]): boolean {
  for (let k = 0; k < cmd.length; k++) if (words[i + k]?.lower !== cmd[k]) return false;
  const before = words[i - 1]?.lower;
  const after = words[i + cmd.length]?.lower;
  if (cmd.length === 1 && cmd[0] === 'period') {
    if ((before && periodNounBefore.has(before)) || after === 'of') return false;
  }
  if (cmd.length === 1 && cmd[0] === 'colon') {
    if ((before && colonNounBefore.has(before)) || (after && colonNounAfter.has(after))) return false;
  }
  return true;
}

/** Applies the spoken punctuation and commands of a raw dictation transcript. */
export function applyDictationCommands(raw: string): ProcessedDictation {
  const words: Word[] = [];
  for (const m of raw.matchAll(/\S+/g)) {
    // Trailing punctuation a recogniser already inserted stays with its word.
    words.push({ text: m[0], lower: m[0].toLowerCase().replace(/[.,;:!?]+$/, ''), start: m.index, end: m.index + m[0].length });
  }
  // The output is kept as its segments (one per emitted piece), never as one growing string: looking at the
  // end of a long concatenated string would flatten it again and again.
  const segments: Segment[] = [];
  const length = () => segments[segments.length - 1]?.end ?? 0;
  const lastChar = () => {
    const text = segments[segments.length - 1]?.text ?? '';
    return text[text.length - 1] ?? '';
  };
  /** Removes trailing blank pieces (the spaces emitted between words). */
  const trimTrailingBlanks = () => {
    while (segments.length > 0 && /^[ \t]+$/.test(segments[segments.length - 1]!.text)) segments.pop();
  };
  let capitalizeNext = true;
  /** Segment count where the current (not yet punctuated) phrase began, for "scratch that". */
  let phraseStart = 0;

  const emit = (text: string, rawStart: number, rawEnd: number, copied: boolean) => {
    const start = length();
    segments.push({ start, end: start + text.length, rawStart, rawEnd, copied, text });
  };

  for (let i = 0; i < words.length; ) {
    let matched: [string[], Command] | null = null;
    for (const entry of commands) {
      if (isCommand(words, i, entry[0])) {
        matched = entry;
        break;
      }
    }
    if (!matched) {
      const w = words[i]!;
      if (segments.length > 0 && !' \t\n(/-'.includes(lastChar())) emit(' ', w.start, w.start, false);
      let text = w.text;
      if (capitalizeNext && /^[a-z]/.test(text)) text = text[0]!.toUpperCase() + text.slice(1);
      capitalizeNext = /[.!?]$/.test(w.text);
      emit(text, w.start, w.end, true);
      if (/[.!?;:]$/.test(w.text)) phraseStart = segments.length;
      i++;
      continue;
    }
    const [phrase, command] = matched;
    const first = words[i]!;
    const last = words[i + phrase.length - 1]!;
    i += phrase.length;
    if (command.kind === 'scratch') {
      // Drop everything said since the last punctuation or line break.
      segments.length = Math.min(phraseStart, segments.length);
      trimTrailingBlanks();
      capitalizeNext = segments.length === 0 || /[.!?\n]/.test(lastChar());
      continue;
    }
    if (command.kind === 'break') {
      trimTrailingBlanks();
      emit(command.text, first.start, last.end, false);
      capitalizeNext = true;
    } else {
      if (command.attach === 'left' || command.attach === 'none') trimTrailingBlanks();
      else if (segments.length > 0 && !' \t\n('.includes(lastChar())) emit(' ', first.start, first.start, false);
      emit(command.text, first.start, last.end, false);
      if (/[.!?]/.test(command.text)) capitalizeNext = true;
    }
    if (command.kind === 'break' || /[.!?;:\n]/.test(command.text)) phraseStart = segments.length;
  }
  const text = segments.map((s) => s.text).join('');
  return { raw, text: capitalizeSpokenHeaders(text), map: offsetMap(segments, raw.length) };
}

/**
 * "plan colon start lisinopril" names a section the way a typed note writes "PLAN:". Header words before a
 * spoken colon are written in capitals (same length, so the offset map is unchanged) so they read as headers.
 */
function capitalizeSpokenHeaders(text: string): string {
  return text.replace(/(^|[.!?]\s+|\n\s*)([A-Za-z][A-Za-z /&-]{0,50}?):/g, (whole, lead: string, words: string) =>
    words.split(/\s+/).length <= 5 && sectionTypeForHeader(words) ? `${lead}${words.toUpperCase()}:` : whole,
  );
}

function offsetMap(segments: ReadonlyArray<Segment>, rawLength: number): OffsetMap {
  const find = (offset: number): Segment | undefined => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segments[mid]!;
      if (offset < s.start) hi = mid - 1;
      else if (offset >= s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  return {
    toRawStart(offset) {
      const s = find(offset);
      if (!s) return offset <= 0 ? 0 : rawLength;
      return s.copied ? s.rawStart + (offset - s.start) : s.rawStart;
    },
    toRawEnd(offset) {
      if (offset <= 0) return 0;
      const s = find(offset - 1);
      if (!s) return rawLength;
      return s.copied ? s.rawStart + (offset - s.start) : s.rawEnd;
    },
  };
}
