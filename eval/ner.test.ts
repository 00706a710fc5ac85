import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NerSuiteInputError, parsePubtator, PubtatorFormatError, readNerSuite, scoreNer, type GoldMention } from './ner.ts';

const sample = [
  '1|t|Naloxone reverses hypertension.',
  '1|a|Clonidine caused renal failure.',
  '1\t0\t8\tNaloxone\tChemical\tD009270',
  '1\t18\t30\thypertension\tDisease\tD006973',
  '1\t32\t41\tClonidine\tChemical\tD003000',
  '1\t49\t62\trenal failure\tDisease\tD051437',
  '1\tCID\tD003000\tD051437',
  '',
  '2|t|Breast cancer.',
  '2|a|',
  '2\t0\t13\tBreast cancer\tSpecificDisease\tD001943',
  '',
].join('\n');

describe('parsePubtator', () => {
  it('reads title + " " + abstract, mentions with their types, and skips relations', () => {
    const docs = parsePubtator(sample);
    expect(docs).toHaveLength(2);
    const [a, b] = docs;
    expect(a!.text.slice(49, 62)).toBe('renal failure');
    expect(a!.mentions.map((m) => m.type)).toEqual(['chemical', 'disease', 'chemical', 'disease']);
    expect(b!.text).toBe('Breast cancer. ');
    expect(b!.mentions).toEqual([{ start: 0, end: 13, type: 'disease' }]);
  });

  it('names the line of a malformed annotation', () => {
    const bad = '7|t|Title\n7|a|Abstract\n7\t0\tfive\tTitle\tDisease\tD1\n';
    expect(() => parsePubtator(bad, 'f.txt')).toThrow(new PubtatorFormatError('f.txt', 3, 'bad offsets "0", "five"'));
    expect(() => parsePubtator('7|t|T\n7|a|A\n7\t0\t1\tT\tGene\tX\n', 'f.txt')).toThrow(/f\.txt:3: unknown mention type "Gene"/);
    expect(() => parsePubtator('7|a|Abstract only\n', 'f.txt')).toThrow(/f\.txt:1: abstract line before the title/);
    expect(() => parsePubtator('7|t|T\n7|a|A\n7\t0\t90\tT\tDisease\tX\n', 'f.txt')).toThrow(/ends past its text/);
    expect(() => parsePubtator('garbage line\n', 'f.txt')).toThrow(/f\.txt:1: expected a title line/);
  });
});

describe('scoreNer', () => {
  const docs = parsePubtator(sample);
  it('scores exact spans per type and overlaps separately', async () => {
    // One exact chemical, one chemical with a wrong edge, one disease overlapping, one wrong-type span, one missed.
    const predictions: Record<string, GoldMention[]> = {
      [docs[0]!.text]: [
        { start: 0, end: 8, type: 'chemical' },
        { start: 32, end: 40, type: 'chemical' },
        { start: 49, end: 54, type: 'disease' },
        { start: 18, end: 30, type: 'chemical' },
      ],
      [docs[1]!.text]: [],
    };
    const r = await scoreNer(docs, (text) => predictions[text]!);
    expect(r.nDocs).toBe(2);
    expect(r.exact.chemical).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(r.exact.disease).toMatchObject({ tp: 0, fp: 1, fn: 3 });
    expect(r.exact.all).toMatchObject({ tp: 1, fp: 3, fn: 4 });
    expect(r.exact.chemical.f1).toBeCloseTo((2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2));
    // Overlap: chemical predictions 0-8 and 32-40 overlap gold chemicals; 18-30 is the wrong type.
    expect(r.overlap.chemical.precision).toBeCloseTo(2 / 3);
    expect(r.overlap.chemical.recall).toBe(1);
    expect(r.overlap.disease.precision).toBe(1);
    expect(r.overlap.disease.recall).toBeCloseTo(1 / 3);
  });

  it('gives zero rather than NaN when nothing is predicted', async () => {
    const r = await scoreNer(docs, async () => []);
    expect(r.exact.all).toMatchObject({ tp: 0, fp: 0, fn: 5, precision: 0, recall: 0, f1: 0 });
  });
});

describe('readNerSuite', () => {
  it('turns a missing or malformed file into one operator message naming the file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-suite-'));
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, '1|t|T\n1|a|A\n1\t0\t1\tT\n');
    expect(() => readNerSuite(bad)).toThrow(NerSuiteInputError);
    expect(() => readNerSuite(bad)).toThrow(`${bad}:3: expected "PMID<TAB>start<TAB>end<TAB>text<TAB>type[<TAB>id]"`);
    expect(() => readNerSuite(path.join(dir, 'missing.txt'))).toThrow(`${path.join(dir, 'missing.txt')}: no such file`);
    const good = path.join(dir, 'good.txt');
    writeFileSync(good, sample);
    expect(readNerSuite(good)).toHaveLength(2);
  });
});
