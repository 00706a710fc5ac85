/**
 * What coding takes from note structuring (src/clinical): the structured note's problems (spans, candidate
 * codes, ConText flags) and the ConText assessment of any other span the ranker cites as evidence, with
 * the note's sections (a finding under FAMILY HISTORY belongs to a relative). The note document is built
 * once per note, so assessing every evidence span costs only the trigger scan of its sentence.
 */
import { mentionContext } from '../../notes/structuring/context.ts';
import { NoteDocument } from '../../notes/structuring/document.ts';
import { problemWording } from '../../notes/structuring/problems.ts';
import type { StructuredNote } from '../../notes/structuring/schema.ts';
import type { MentionContext, NoteSignals } from './ranker/features.ts';

export interface NoteContext extends NoteSignals {
  /** ConText assessment of any span of the note (negated, uncertain, historical, hypothetical, family). */
  contextAt(start: number, end: number): MentionContext;
}

export type { StructuredNote };

/** The structured note's problems as candidate hints for the ranker. */
export function problemSignals(structured: StructuredNote): NoteSignals {
  return {
    problems: structured.problems.map((p) => {
      const { start, end } = problemWording(p);
      return { start, end, codes: p.candidateCodes, context: p.context };
    }),
  };
}

export function noteContext(text: string, structured: StructuredNote): NoteContext {
  const document = new NoteDocument(text);
  document.sections = structured.sections.map((s) => ({
    id: s.id,
    type: s.type,
    headerStart: s.header?.start ?? null,
    headerEnd: s.header?.end ?? null,
    start: s.start,
    end: s.end,
    confidence: s.confidence,
  }));
  // Candidates share evidence words ("pain" backs several codes): assess each span once.
  const assessed = new Map<string, MentionContext>();
  return {
    ...problemSignals(structured),
    contextAt: (start, end) => {
      const key = `${start}:${end}`;
      let context = assessed.get(key);
      if (!context) {
        context = mentionContext(document, start, end, document.sectionAt(start)?.type ?? null);
        assessed.set(key, context);
      }
      return context;
    },
  };
}
