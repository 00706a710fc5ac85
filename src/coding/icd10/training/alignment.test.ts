import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../config/paths.ts';
import { alignSentences, linesForSpanishRange } from './alignment.ts';
import { readCodiEspSplit } from './codiesp-files.ts';

const train = readCodiEspSplit(path.join(sharedDataDir(), 'eval', 'codiesp'), 'train');

describe('CodiEsp reader', () => {
  it('reads texts, gold codes (uppercase with the dot) and Spanish evidence spans', () => {
    expect(train.length).toBe(500);
    const doc = train.find((d) => d.id === 'S0004-06142005000700014-1')!;
    expect(doc.codes).toEqual(expect.arrayContaining(['N44.8', 'Z20.818', 'A23.9', 'R50.9', 'N45.3']));
    const evidence = doc.evidence.find((e) => e.code === 'N45.3')!;
    expect(doc.spanish!.slice(...evidence.ranges[0]!)).toBe('orquiepididimitis');
  });
});

describe('sentence alignment', () => {
  it('finds the English sentence that translates a Spanish evidence span', () => {
    const doc = train.find((d) => d.id === 'S0004-06142005000700014-1')!;
    const alignment = alignSentences(doc.spanish!, doc.english);
    const englishFor = (start: number, end: number) =>
      linesForSpanishRange(alignment, start, end).map((i) => doc.english.slice(alignment.englishLines[i]!.start, alignment.englishLines[i]!.end));
    expect(englishFor(638, 655).join(' ')).toMatch(/right orchiepididymitis/);
    expect(englishFor(147, 153).join(' ')).toMatch(/fever in the last week/);
    expect(englishFor(1250, 1256).join(' ')).toMatch(/Extremities without varices or edemas/);
  });
});
