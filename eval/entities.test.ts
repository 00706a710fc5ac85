import { describe, expect, it } from 'vitest';
import { structureNote } from '../src/notes/structuring/structure.ts';
import { EntityCasesFormatError, evaluateEntities, parseEntityCases } from './entities.ts';

/** A case line with spans located by their text (the fixture's own notes, written for this test). */
function caseLine(id: string, text: string, entities: Array<[string, string, Record<string, unknown>?]>): string {
  let from = 0;
  return JSON.stringify({
    id,
    text,
    entities: entities.map(([phrase, type, extra]) => {
      const start = text.indexOf(phrase, from);
      if (start < 0) throw new Error(`fixture phrase not found: ${phrase}`);
      from = start + phrase.length;
      return { start, end: start + phrase.length, type, ...extra };
    }),
  });
}

const fixture = [
  caseLine('t1', 'No chest pain. Started lisinopril 10 mg PO daily. Potassium 5.9 mmol/L. BP 150/95.', [
    ['chest pain', 'problem', { assertion: 'absent' }],
    ['lisinopril', 'medication', { strength: '10 mg', route: 'PO', frequency: 'daily', status: 'active' }],
    ['Potassium', 'lab', { value: 5.9, unit: 'mmol/L' }],
    ['BP', 'vital', { value: '150/95', unit: 'mmHg' }],
  ]),
  caseLine('t2', 'Mother had breast cancer. Allergic to penicillin (hives).', [
    ['breast cancer', 'problem', { assertion: 'family' }],
    ['penicillin', 'allergy'],
  ]),
  // A gold span the structurer does not find: recall below 1.
  caseLine('t3', 'Feels blah and tired.', [['blah', 'problem', { assertion: 'present' }]]),
].join('\n');

describe('entity-span evaluation', () => {
  it('scores exact and overlap spans per type, assertions, attributes and the RxNorm share', () => {
    const cases = parseEntityCases(fixture);
    const r = evaluateEntities(cases, cases.map((c) => structureNote(c.text)));
    expect(r.n).toBe(3);
    expect(r.exact.medication).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
    expect(r.exact.lab).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.exact.vital).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.exact.allergy).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.exact.problem.fn).toBe(1);
    expect(r.exact.problem.recall).toBeCloseTo(2 / 3, 6);
    expect(r.assertion).toMatchObject({ n: 2, correct: 2, accuracy: 1 });
    expect(r.attributes['medication.strength']).toMatchObject({ n: 1, correct: 1 });
    expect(r.attributes['medication.route']).toMatchObject({ n: 1, correct: 1 });
    expect(r.attributes['vital.value']).toMatchObject({ n: 1, correct: 1 });
    expect(r.rxnorm).toMatchObject({ matched: 1, coded: 1, share: 1 });
    expect(r.misses).toContainEqual({ id: 't3', kind: 'missed', type: 'problem', text: 'blah' });
  });

  it('counts a span that only overlaps the gold as an overlap match, not an exact one', () => {
    // Gold narrower than the prediction ("chronic kidney disease").
    const text = 'Chronic kidney disease noted.';
    const cases = parseEntityCases(caseLine('o1', text, [['kidney disease', 'problem', { assertion: 'present' }]]));
    const r = evaluateEntities(cases, [structureNote(text)]);
    expect(r.exact.problem).toMatchObject({ tp: 0, fn: 1, fp: 1 });
    expect(r.overlap.problem).toMatchObject({ tp: 1, fn: 0, fp: 0 });
  });

  it('names the line of a malformed case', () => {
    const bad = (lines: string[]) => () => parseEntityCases(lines.join('\n'), 'cases.jsonl');
    const good = caseLine('a', 'No fever.', [['fever', 'problem', { assertion: 'absent' }]]);
    expect(bad([good, '{"id":"b","text":"x"'])).toThrow(/cases\.jsonl:2: not valid JSON/);
    expect(bad([good, '', JSON.stringify({ id: 'c', text: 'abc', entities: [{ start: 1, end: 9, type: 'lab' }] })])).toThrow(/cases\.jsonl:3: entity 1: span 1-9/);
    expect(bad([JSON.stringify({ id: 'd', text: 'fever', entities: [{ start: 0, end: 5, type: 'problem' }] })])).toThrow(/:1: entity 1: a problem needs "assertion"/);
    expect(bad([JSON.stringify({ id: 'e', text: 'fever', entities: [{ start: 0, end: 5, type: 'disease', assertion: 'present' }] })])).toThrow(/"type" must be one of/);
    expect(bad([good, good])).toThrow(/:2: duplicate id "a"/);
    expect(bad(['[1,2]'])).toThrow(EntityCasesFormatError);
  });
});
