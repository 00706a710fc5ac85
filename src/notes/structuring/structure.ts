/**
 * structureNote: free text (typed, or a dictation transcript) → a StructuredNote. Synchronous, on the CPU,
 * no network; the lexicons are read once per process on first use. structureNoteWithLearnedFinder adds the
 * learned mention finder's conditions (learned-mentions.ts) for callers that hold its model.
 */
import { extractAllergies } from './allergies.ts';
import { mentionContext } from './context.ts';
import { applyDictationCommands, type OffsetMap, type ProcessedDictation } from './dictation.ts';
import { NoteDocument } from './document.ts';
import { extractLabs } from './labs.ts';
import { extractMedications } from './medications.ts';
import { mergeLearnedMentions, textForFinder } from './learned-mentions.ts';
import type { NerMention } from './ner/model.ts';
import { extractProblems } from './problems.ts';
import { sectionDefinition } from './section-catalog.ts';
import { detectSections } from './sections.ts';
import { STRUCTURE_SCHEMA_VERSION, type MentionContext, type Section, type Span, type StructuredNote } from './schema.ts';
import { extractVitals } from './vitals.ts';

export interface StructureOptions {
  /** 'dictation' applies spoken punctuation and commands first; offsets still point into the raw transcript. */
  source?: 'typed' | 'dictation';
}

function isSpan(value: unknown): value is Span {
  return (
    typeof value === 'object' && value !== null &&
    typeof (value as Span).start === 'number' && typeof (value as Span).end === 'number' && typeof (value as Span).text === 'string'
  );
}

/** Rewrites every span in a structure (items, sub-fields, cues) to raw-transcript offsets and text. */
function remapSpans<T>(value: T, map: OffsetMap, raw: string): T {
  if (Array.isArray(value)) return value.map((v) => remapSpans(v, map, raw)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = remapSpans(v, map, raw);
  if (isSpan(value)) {
    const start = map.toRawStart(value.start);
    const end = value.end === value.start ? start : Math.max(start, map.toRawEnd(value.end));
    Object.assign(out, { start, end, text: raw.slice(start, end) });
  } else if (typeof (value as { start?: unknown }).start === 'number' && typeof (value as { end?: unknown }).end === 'number') {
    // Sections carry offsets without a text field.
    const v = value as unknown as { start: number; end: number };
    out.start = map.toRawStart(v.start);
    out.end = Math.max(out.start as number, map.toRawEnd(v.end));
  }
  return out as T;
}

/** What the learned path needs: the finder's mentions in a text and the one ICD-10-CM code some words name outright. */
export interface LearnedFinder {
  findMentions(text: string): Promise<ReadonlyArray<NerMention>>;
  confidentCode(words: string): string | null;
}

interface Structured {
  /** Offsets into `doc.text` (the dictation's normalised text, if any). */
  note: StructuredNote;
  doc: NoteDocument;
  /** Spans other extractors own, which are not problems. */
  excluded: Span[];
  dictation: ProcessedDictation | null;
}

function structure(text: string, options: StructureOptions): Structured {
  const dictation = options.source === 'dictation' ? applyDictationCommands(text) : null;
  const working = dictation ? dictation.text : text;
  const doc = new NoteDocument(working);
  doc.sections = detectSections(working);

  const sections: Section[] = doc.sections.map((s) => {
    const definition = sectionDefinition(s.type);
    return {
      id: s.id,
      type: s.type,
      title: definition.title,
      loinc: definition.loinc,
      header: s.headerStart !== null ? { start: s.headerStart, end: s.headerEnd!, text: working.slice(s.headerStart, s.headerEnd!) } : null,
      start: s.start,
      end: s.end,
      detection: s.headerStart !== null ? 'header' : 'content',
      confidence: Math.round(s.confidence * 100) / 100,
      source: 'rules',
    };
  });
  const allergies = extractAllergies(doc);
  const allergens = allergies.flatMap((a) => (a.substance ? [a.substance] : []));
  const medications = extractMedications(doc, allergens);
  const vitals = extractVitals(doc);
  // A vital sign is never also a lab ("SpO2 92 percent" from a dictation).
  const { results: labs, orders: labOrders } = extractLabs(doc, [...medications.map((m) => ({ start: m.start, end: m.start + m.name.length, text: m.name })), ...vitals]);
  // A reaction, a drug name, a lab name or a vital ("BMI 31") is that item, not a problem.
  const excluded = [
    ...allergies.flatMap((a) => a.reactions),
    ...medications.map((m) => ({ start: m.start, end: m.start + m.name.length, text: m.name })),
    ...labs.map((l) => l.name),
    ...labOrders.map((o) => o.name),
    ...vitals.flatMap((v) => (v.name ? [v.name] : [])),
  ];
  const problems = extractProblems(doc, excluded);

  const note: StructuredNote = {
    schemaVersion: STRUCTURE_SCHEMA_VERSION,
    inputForm: dictation ? 'dictation' : 'typed',
    textLength: text.length,
    normalizedText: dictation ? dictation.text : null,
    sections,
    problems,
    medications,
    allergies,
    vitals,
    labs,
    labOrders,
  };
  return { note, doc, excluded, dictation };
}

/** The structure with its offsets into the input text (a dictation's spans mapped back to the raw transcript). */
function inInputOffsets(text: string, { note, dictation }: Pick<Structured, 'note' | 'dictation'>): StructuredNote {
  if (!dictation) return note;
  const { normalizedText, ...items } = note;
  return { ...remapSpans(items, dictation.map, text), normalizedText };
}

export function structureNote(text: string, options: StructureOptions = {}): StructuredNote {
  return inInputOffsets(text, structure(text, options));
}

/** structureNote with the learned mention finder's conditions merged into the problems (learned-mentions.ts). */
export async function structureNoteWithLearnedFinder(text: string, finder: LearnedFinder, options: StructureOptions = {}): Promise<StructuredNote> {
  const structured = structure(text, options);
  const { doc, note, excluded } = structured;
  const mentions = await finder.findMentions(textForFinder(doc));
  const problems = mergeLearnedMentions({ doc, problems: note.problems, mentions, excluded, confidentCode: finder.confidentCode });
  return inInputOffsets(text, { ...structured, note: { ...note, problems } });
}

/**
 * The ConText context of one given span of a text (sections are detected in the text first, so a
 * "PAST MEDICAL HISTORY:" header in front of the span counts). Used to assess mentions found elsewhere.
 */
export function contextOfSpan(text: string, start: number, end: number): MentionContext {
  const doc = new NoteDocument(text);
  doc.sections = detectSections(text);
  return mentionContext(doc, start, end, doc.sectionAt(start)?.type ?? null);
}
