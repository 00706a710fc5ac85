/**
 * structureNote: free text (typed, or a dictation transcript) → a StructuredNote. Synchronous, on the CPU,
 * no network; the lexicons are read once per process on first use.
 */
import { extractAllergies } from './allergies.ts';
import { mentionContext } from './context.ts';
import { applyDictationCommands, type OffsetMap } from './dictation.ts';
import { NoteDocument } from './document.ts';
import { extractLabs } from './labs.ts';
import { extractMedications } from './medications.ts';
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

export function structureNote(text: string, options: StructureOptions = {}): StructuredNote {
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
  const problems = extractProblems(doc, [
    ...allergies.flatMap((a) => a.reactions),
    ...medications.map((m) => ({ start: m.start, end: m.start + m.name.length, text: m.name })),
    ...labs.map((l) => l.name),
    ...labOrders.map((o) => o.name),
    ...vitals.flatMap((v) => (v.name ? [v.name] : [])),
  ]);

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
  if (!dictation) return note;
  const { normalizedText, ...items } = note;
  return { ...remapSpans(items, dictation.map, text), normalizedText };
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
