import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertions,
  attributeKeys,
  buildCases,
  casesFile,
  entityTypes,
  SourceError,
  sourceFile,
  stripMarkup,
  toJsonLines,
  type EntityCase,
} from './build-cases.ts';

describe('build-cases markup', () => {
  it('strips markup and records UTF-16 offsets, end exclusive, across surrogate pairs and Vietnamese letters', () => {
    const { text, entities } = stripMarkup('Bệnh nhân 🙂 có [[problem:absent|sốt]]; [[medication;strength=5 mg|amlodipine]] 5 mg', 't');
    expect(text).toBe('Bệnh nhân 🙂 có sốt; amlodipine 5 mg');
    const fever = text.indexOf('sốt');
    expect(entities).toEqual([
      { start: fever, end: fever + 3, type: 'problem', assertion: 'absent', text: 'sốt' },
      { start: fever + 5, end: fever + 15, type: 'medication', text: 'amlodipine', strength: '5 mg' },
    ]);
    // The emoji is one code point but two UTF-16 units: offsets count units, as JavaScript strings do.
    expect(fever - [...text.slice(0, fever)].length).toBe(1);
  });

  it('refuses unknown types, a problem without assertion, an assertion elsewhere, bad attributes and untrimmed spans', () => {
    expect(() => stripMarkup('[[drug|x]]', 't')).toThrow(SourceError);
    expect(() => stripMarkup('[[problem|x]]', 't')).toThrow(/needs an assertion/);
    expect(() => stripMarkup('[[problem:maybe|x]]', 't')).toThrow(/needs an assertion/);
    expect(() => stripMarkup('[[lab:present|x]]', 't')).toThrow(/only problems/);
    expect(() => stripMarkup('[[lab;strength=1|x]]', 't')).toThrow(/not an attribute/);
    expect(() => stripMarkup('[[medication;status=discontinued|x]]', 't')).toThrow(/status/);
    expect(() => stripMarkup('[[vital| BP]]', 't')).toThrow(/trimmed/);
    expect(() => stripMarkup('[[vital|BP] 120/80', 't')).toThrow(/unbalanced/);
  });

  it('splits cases on "## id" lines and refuses duplicate ids', () => {
    expect(buildCases('# comment\n## a1\nline one\nline [[vital|HR]] two\n\n## a2\nx\n').map((c) => [c.id, c.text])).toEqual([
      ['a1', 'line one\nline HR two'],
      ['a2', 'x'],
    ]);
    expect(() => buildCases('## a1\nx\n## a1\ny\n')).toThrow(/duplicate/);
  });
});

describe('eval/entities/cases.jsonl', () => {
  const raw = readFileSync(casesFile, 'utf8');
  const lines = raw.split('\n').slice(0, -1);
  const cases = lines.map((line) => JSON.parse(line) as EntityCase);

  it('is exactly what build-cases.ts produces from cases.src.txt', () => {
    expect(raw).toBe(toJsonLines(buildCases(readFileSync(sourceFile, 'utf8'))));
  });

  it('holds at least 60 notes with unique sequential ids and the exact top-level fields', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(cases.map((c) => c.id)).toEqual(cases.map((_, i) => `e${String(i + 1).padStart(3, '0')}`));
    for (const c of cases) expect(Object.keys(c), c.id).toEqual(['id', 'text', 'entities']);
  });

  it('has spans inside the text, matching their text, trimmed, sorted and non-overlapping; assertion iff problem', () => {
    for (const c of cases) {
      expect(c.entities.length, c.id).toBeGreaterThan(0);
      let previousEnd = 0;
      for (const e of c.entities) {
        const where = `${c.id} ${e.start}-${e.end}`;
        expect(Number.isInteger(e.start) && Number.isInteger(e.end), where).toBe(true);
        expect(e.start, where).toBeGreaterThanOrEqual(previousEnd);
        expect(e.end, where).toBeGreaterThan(e.start);
        expect(e.end, where).toBeLessThanOrEqual(c.text.length);
        const span = c.text.slice(e.start, e.end);
        expect(span, where).toBe(e.text);
        expect(span, where).toBe(span.trim());
        expect(entityTypes, where).toContain(e.type);
        if (e.type === 'problem') expect(assertions, where).toContain(e.assertion);
        else expect(e, where).not.toHaveProperty('assertion');
        const allowed = ['start', 'end', 'type', 'assertion', 'text', ...attributeKeys[e.type]];
        for (const key of Object.keys(e)) expect(allowed, `${where} key ${key}`).toContain(key);
        previousEnd = e.end;
      }
    }
  });

  it('takes strength, value, unit and reaction only from the note: each is written in its mention\'s clause', () => {
    for (const c of cases) {
      c.entities.forEach((e, i) => {
        const next = c.entities[i + 1]?.start ?? c.text.length;
        const clause = c.text.slice(Math.max(0, e.start - 30), next).toLowerCase();
        for (const key of ['strength', 'value', 'unit', 'reaction'] as const) {
          const written = e[key];
          if (written !== undefined) expect(clause, `${c.id} ${e.text} ${key}`).toContain(written.toLowerCase());
        }
      });
    }
  });

  it('covers every entity type and every assertion value', () => {
    const entities = cases.flatMap((c) => c.entities);
    for (const type of entityTypes) expect(entities.some((e) => e.type === type), type).toBe(true);
    for (const assertion of assertions) expect(entities.some((e) => e.assertion === assertion), assertion).toBe(true);
  });
});
