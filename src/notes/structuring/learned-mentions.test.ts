import { describe, expect, it } from 'vitest';
import { assertionOf } from './context.ts';
import type { NerMention } from './ner/model.ts';
import { structuredNoteSchema } from './schema.ts';
import { structureNote, structureNoteWithLearnedFinder, type LearnedFinder } from './structure.ts';

/** A finder that "finds" the given phrases (each occurrence) as disease mentions, and knows the given codes. */
function finderOf(phrases: ReadonlyArray<string>, codes: Record<string, string> = {}, score = 0.9): LearnedFinder {
  return {
    async findMentions(text) {
      const mentions: NerMention[] = [];
      for (const phrase of phrases) {
        for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) mentions.push({ start: at, end: at + phrase.length, type: 'disease', score });
      }
      return mentions.sort((a, b) => a.start - b.start);
    },
    confidentCode: (words) => codes[words.toLowerCase()] ?? null,
  };
}

const problemTexts = (note: { problems: ReadonlyArray<{ text: string }> }) => note.problems.map((p) => p.text);

describe('structureNoteWithLearnedFinder', () => {
  it('adds a condition the lexicon lacks, with its ConText assertion, its own modifiers and no code', async () => {
    const text = 'Knee swollen for two days. Assessment: pseudogout of the right knee. No calciphylaxis.';
    expect(structureNote(text).problems.some((p) => /pseudogout|calciphylaxis/.test(p.text))).toBe(false);
    const note = await structureNoteWithLearnedFinder(text, finderOf(['pseudogout', 'calciphylaxis']));
    expect(structuredNoteSchema.parse(note)).toEqual(note);
    const pseudogout = note.problems.find((p) => p.text === 'pseudogout of the right knee')!;
    expect(pseudogout).toMatchObject({ source: 'ner', matchedBy: 'ner', candidateCodes: [], term: 'pseudogout' });
    expect(assertionOf(pseudogout.context)).toBe('present');
    expect(assertionOf(note.problems.find((p) => p.text === 'calciphylaxis')!.context)).toBe('absent');
    expect(note.problems.map((p) => p.id)).toEqual(note.problems.map((_, i) => `p${i + 1}`));
    expect(note.problems.map((p) => p.start)).toEqual([...note.problems.map((p) => p.start)].sort((a, b) => a - b));
  });

  it('gives a finder-only condition a code only when its words name one code outright', async () => {
    const text = 'Assessment: calciphylaxis. Also pseudogout.';
    const note = await structureNoteWithLearnedFinder(text, finderOf(['calciphylaxis', 'pseudogout'], { calciphylaxis: 'E83.59' }));
    expect(note.problems.find((p) => p.text === 'calciphylaxis')).toMatchObject({ candidateCodes: ['E83.59'], category: 'diagnosis', source: 'ner' });
    expect(note.problems.find((p) => p.text === 'pseudogout')!.candidateCodes).toEqual([]);
  });

  it('reads a chemical before a condition head as one condition, and never a bare "syndrome"', async () => {
    const text = 'Assessment: serotonin syndrome after tramadol. Also a syndrome of unclear cause.';
    const finder: LearnedFinder = {
      async findMentions(t) {
        const at = (w: string, from = 0) => t.indexOf(w, from);
        return [
          { start: at('serotonin'), end: at('serotonin') + 9, type: 'chemical', score: 0.9 },
          { start: at('syndrome'), end: at('syndrome') + 8, type: 'disease', score: 0.8 },
          { start: at('syndrome', at('syndrome') + 1), end: at('syndrome', at('syndrome') + 1) + 8, type: 'disease', score: 0.8 },
        ] satisfies NerMention[];
      },
      confidentCode: () => null,
    };
    const note = await structureNoteWithLearnedFinder(text, finder);
    expect(problemTexts(note).filter((p) => /syndrome/.test(p))).toEqual(['serotonin syndrome']);
  });

  it("widens a lexicon problem over the name's own words and keeps the lexicon's words for coding", async () => {
    const text = "Past history: Alzheimer's dementia.";
    const rules = structureNote(text).problems.find((p) => p.text === 'dementia')!;
    const note = await structureNoteWithLearnedFinder(text, finderOf(["Alzheimer's dementia"]));
    const widened = note.problems.find((p) => p.text === "Alzheimer's dementia")!;
    expect(widened).toMatchObject({ source: 'rules', term: rules.term, candidateCodes: rules.candidateCodes, context: rules.context });
    expect(widened.wording).toEqual({ start: rules.start, end: rules.end, text: 'dementia' });
  });

  it('never widens over cue, course or size words, nor past the name to the right', async () => {
    const text = 'Denies melena. Small esophageal varices. Eczema flaring.';
    const note = await structureNoteWithLearnedFinder(text, finderOf(['Denies melena', 'Small esophageal varices', 'Eczema flaring']));
    expect(problemTexts(note)).toEqual(problemTexts(structureNote(text)));
    expect(note.problems.every((p) => p.wording === undefined)).toBe(true);
  });

  it('keeps the word-sense rules: no problem in a drug, lab, allergy reaction, ECG or imaging wording, test name or abbreviation', async () => {
    const text = [
      'Allergies: penicillin (hives).',
      'ECG: ST depression in V4-V6.',
      'US: gallbladder wall thickening.',
      'Malaria smear negative. Hematuria on UA. Lisinopril 10 mg daily. Hemoglobin 9.1.',
      'Paracetamol when febrile. Pneumonia, right upper lobe.',
    ].join('\n');
    const mentions = ['hives', 'depression', 'gallbladder wall thickening', 'Malaria', 'UA', 'Lisinopril', 'Hemoglobin', 'febrile', 'right upper lobe'];
    const note = await structureNoteWithLearnedFinder(text, finderOf(mentions));
    expect(note.problems.filter((p) => p.source === 'ner')).toEqual([]);
    expect(problemTexts(note)).toEqual(problemTexts(structureNote(text)));
  });

  it('ignores chemicals and unsure mentions', async () => {
    const text = 'Assessment: pseudogout.';
    const unsure = await structureNoteWithLearnedFinder(text, finderOf(['pseudogout'], {}, 0.3));
    expect(unsure.problems).toEqual(structureNote(text).problems);
    const chemical: LearnedFinder = { findMentions: async () => [{ start: 12, end: 22, type: 'chemical', score: 0.99 }], confidentCode: () => null };
    expect((await structureNoteWithLearnedFinder(text, chemical)).problems).toEqual(structureNote(text).problems);
  });

  it('maps a dictation’s finder-only problems back to the raw transcript', async () => {
    const raw = 'assessment colon pseudogout of the right knee period';
    const note = await structureNoteWithLearnedFinder(raw, finderOf(['pseudogout']), { source: 'dictation' });
    const problem = note.problems.find((p) => p.source === 'ner')!;
    expect(raw.slice(problem.start, problem.end)).toBe(problem.text);
    expect(problem.text).toBe('pseudogout of the right knee');
  });
});
