import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { structureNote } from '../notes/structuring/structure.ts';
import { sharedDataDir } from '../config/paths.ts';
import { embeddingInput, splitIntoPassages } from './passages.ts';

/** ACI-BENCH validation notes: real visit notes with upper-case section headers. */
function aciNotes(): string[] {
  const csv = readFileSync(path.join(sharedDataDir(), 'eval', 'aci-bench', 'valid.csv'), 'utf8');
  return [...csv.matchAll(/"((?:CHIEF COMPLAINT|HISTORY OF PRESENT ILLNESS)(?:[^"]|"")+)"/g)].map((m) => m[1]!.replace(/""/g, '"')).slice(0, 10);
}

describe('splitIntoPassages', () => {
  const note = [
    'CHIEF COMPLAINT: Left leg swelling.',
    '',
    'PAST MEDICAL HISTORY:',
    'No history of DVT. Type 2 diabetes since 2010.',
    '',
    'PLAN:',
    'Start apixaban 5 mg BID. Recheck in two weeks.',
  ].join('\n');

  it('keeps exact offsets and the section of every passage', () => {
    const passages = splitIntoPassages(note, structureNote(note).sections);
    expect(passages.map((p) => p.section)).toEqual(['chief_complaint', 'past_medical_history', 'plan']);
    for (const p of passages) expect(note.slice(p.start, p.end)).toBe(p.text);
    expect(passages[1]!.text).toBe('PAST MEDICAL HISTORY:\nNo history of DVT. Type 2 diabetes since 2010.');
    expect(passages.map((p) => p.ordinal)).toEqual([0, 1, 2]);
  });

  it('cuts long sections at sentence ends, never beyond the limit, and loses no words', () => {
    for (const text of aciNotes()) {
      const passages = splitIntoPassages(text, structureNote(text).sections, { maxChars: 400 });
      expect(passages.length).toBeGreaterThan(3);
      let covered = '';
      for (const p of passages) {
        expect(text.slice(p.start, p.end)).toBe(p.text);
        expect(p.text.length).toBeLessThanOrEqual(600);
        covered += p.text;
      }
      expect(covered.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      for (let i = 1; i < passages.length; i++) expect(passages[i]!.start).toBeGreaterThanOrEqual(passages[i - 1]!.end);
    }
  });

  it('cuts a sentence longer than the limit at a space', () => {
    const text = 'word '.repeat(300).trim();
    const passages = splitIntoPassages(text, [], { maxChars: 100 });
    expect(passages.every((p) => p.text.length <= 100 && !p.text.startsWith(' ') && !p.text.endsWith(' '))).toBe(true);
    expect(passages.map((p) => p.text).join(' ')).toBe(text);
    expect(passages.every((p) => p.section === 'other')).toBe(true);
  });

  it('leads a passage cut from inside a section with the section title for the embedding', () => {
    expect(embeddingInput({ section: 'plan', text: 'Recheck in two weeks.' })).toBe('Plan: Recheck in two weeks.');
    expect(embeddingInput({ section: 'plan', text: 'PLAN: Recheck.' })).toBe('PLAN: Recheck.');
    expect(embeddingInput({ section: 'other', text: 'Recheck.' })).toBe('Recheck.');
  });
});
