import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../config/paths.ts';
import { readAciNotes } from '../../../eval/sections-data.ts';
import { STRUCTURE_SCHEMA_VERSION, structuredNoteSchema, type Span } from './schema.ts';
import { structureNote } from './structure.ts';

function allSpans(value: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(value)) for (const v of value) allSpans(v, out);
  else if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.start === 'number' && typeof v.end === 'number' && typeof v.text === 'string') out.push(v as unknown as Span);
    for (const child of Object.values(v)) allSpans(child, out);
  }
  return out;
}

const aciValid = readAciNotes(path.join(sharedDataDir(), 'eval', 'aci-bench'), 'valid');

describe('structureNote', () => {
  it('produces a schema-valid note whose every span is the text at its offsets (ACI-BENCH valid notes)', () => {
    for (const { text } of aciValid.slice(0, 5)) {
      const note = structureNote(text);
      expect(structuredNoteSchema.parse(note)).toEqual(note);
      expect(note.schemaVersion).toBe(STRUCTURE_SCHEMA_VERSION);
      const spans = allSpans(note);
      expect(spans.length).toBeGreaterThan(20);
      for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.text);
    }
  });

  it('finds the sections, problems, medications and results of a real visit note', () => {
    const note = structureNote(aciValid[0]!.text);
    expect(note.sections.map((s) => s.type)).toEqual([
      'chief_complaint', 'history_of_present_illness', 'review_of_systems', 'physical_exam', 'results', 'assessment_and_plan',
    ]);
    expect(note.sections.every((s) => s.loinc !== null && s.detection === 'header')).toBe(true);
    const problems = new Set(note.problems.filter((p) => !p.context.negated).map((p) => p.text.toLowerCase()));
    expect(problems).toContain('congestive heart failure');
    expect(problems).toContain('hypertension');
    const negated = new Set(note.problems.filter((p) => p.context.negated).map((p) => p.text.toLowerCase()));
    for (const symptom of ['fevers', 'chills', 'nausea', 'vomiting', 'diarrhea']) expect(negated).toContain(symptom);
    const lasixIncrease = note.medications.find((m) => m.text.startsWith('Lasix to 80 mg'));
    expect(lasixIncrease).toMatchObject({ rxcui: '4603', status: 'changed', strength: { value: 80, unit: 'mg' }, frequency: { code: 'QD' } });
  });

  it('structures an MTSamples note with inline comma-separated headers', () => {
    const file = path.join(sharedDataDir(), 'eval', 'mtsamples-partial', 'timarbende_DataScienceHW_mtsamples_subset401_noheader.csv');
    const firstRecord = readFileSync(file, 'utf8').split('\n')[0]!;
    const text = firstRecord.slice(firstRecord.indexOf('SUBJECTIVE:'), firstRecord.lastIndexOf('"'));
    const note = structureNote(text);
    const types = note.sections.map((s) => s.type);
    expect(types.slice(0, 3)).toEqual(['subjective', 'medications', 'allergies']);
    expect(types).toContain('assessment');
    expect(types).toContain('plan');
    expect(note.allergies[0]).toMatchObject({ noKnownAllergies: true, scope: 'drug' });
    expect(note.vitals.map((v) => v.kind)).toEqual(['weight', 'blood_pressure']);
    expect(note.medications.map((m) => m.name)).toEqual(expect.arrayContaining(['Claritin', 'Zyrtec', 'Allegra', 'Nasonex']));
  });
});
