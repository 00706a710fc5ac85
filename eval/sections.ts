/**
 * ACI-BENCH section grouping: the share of gold section-group text (by characters, whitespace excluded) that
 * Clinote's sections assign to the right one of ACI-BENCH's four groups (subjective, objective_exam,
 * objective_results, assessment_and_plan).
 */
import { structureNote } from '../src/notes/structuring/structure.ts';
import { aciGroupOf, aciGroups, readAciGold, readAciNotes, type AciGroup } from './sections-data.ts';

export interface SectionsResult {
  notes: number;
  goldChars: number;
  correctChars: number;
  accuracy: number;
  byGroup: Record<AciGroup, { goldChars: number; correctChars: number }>;
  /** Notes whose gold text could not all be found in the note (counted as wrong where missing). */
  unalignedChars: number;
}

/** Gold group of each character of a note: each gold line is found in order in the note text. */
export function goldGroupsByChar(note: string, gold: Record<AciGroup, string>): { groups: Array<AciGroup | null>; unaligned: number } {
  const groups: Array<AciGroup | null> = new Array(note.length).fill(null);
  let unaligned = 0;
  let cursor = 0;
  for (const group of aciGroups) {
    for (const line of gold[group].split('\n').map((l) => l.trim()).filter(Boolean)) {
      const at = note.indexOf(line, cursor);
      if (at < 0) {
        unaligned += line.replace(/\s/g, '').length;
        continue;
      }
      for (let i = at; i < at + line.length; i++) groups[i] = group;
      cursor = at + line.length;
    }
  }
  return { groups, unaligned };
}

/** Predicted group of each character: the group of the section it lies in (vital signs inherit). */
export function predictedGroupsByChar(note: string): Array<AciGroup | null> {
  const groups: Array<AciGroup | null> = new Array(note.length).fill(null);
  let current: AciGroup | null = null;
  for (const section of structureNote(note).sections) {
    current = aciGroupOf(section.type) ?? current ?? 'subjective';
    for (let i = section.start; i < section.end; i++) groups[i] = current;
  }
  return groups;
}

export function evaluateSections(dir: string, split: string, onProgress?: (done: number, total: number) => void): SectionsResult {
  const gold = readAciGold(dir, split);
  const notes = readAciNotes(dir, split).filter((n) => gold.has(n.id));
  const byGroup = Object.fromEntries(aciGroups.map((g) => [g, { goldChars: 0, correctChars: 0 }])) as SectionsResult['byGroup'];
  let unalignedChars = 0;
  for (const note of notes) {
    const { groups: goldGroups, unaligned } = goldGroupsByChar(note.text, gold.get(note.id)!);
    unalignedChars += unaligned;
    const predicted = predictedGroupsByChar(note.text);
    for (let i = 0; i < note.text.length; i++) {
      const g = goldGroups[i];
      if (!g || /\s/.test(note.text[i]!)) continue;
      byGroup[g].goldChars++;
      if (predicted[i] === g) byGroup[g].correctChars++;
    }
    onProgress?.(notes.indexOf(note) + 1, notes.length);
  }
  const goldChars = Object.values(byGroup).reduce((a, g) => a + g.goldChars, 0) + unalignedChars;
  const correctChars = Object.values(byGroup).reduce((a, g) => a + g.correctChars, 0);
  return { notes: notes.length, goldChars, correctChars, accuracy: goldChars > 0 ? correctChars / goldChars : 0, byGroup, unalignedChars };
}
