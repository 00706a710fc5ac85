/**
 * Reads the CodiEsp layout (CLEF eHealth 2020): `DIR/SPLIT/SPLITD.tsv` (`doc<TAB>code`), `SPLITX.tsv`
 * (evidence spans in the Spanish text), `text_files/` (Spanish) and `text_files_en/` (English machine
 * translation, one sentence per line). Codes are normalised to uppercase with the dot.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dottedCode } from '../release.ts';
import type { CodiEspDocument, CodiEspEvidence } from './codiesp.ts';

function readTsv(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

/**
 * Every document with an English text; gold codes from `SPLITD.tsv` (documents without gold codes keep an empty
 * list, so metrics can decide how to treat them).
 */
export function readCodiEspSplit(dir: string, split: string): CodiEspDocument[] {
  const splitDir = path.join(dir, split);
  const englishDir = path.join(splitDir, 'text_files_en');
  if (!existsSync(englishDir)) throw new Error(`${englishDir} not found: expected the CodiEsp layout DIR/${split}/text_files_en`);
  const codes = new Map<string, string[]>();
  for (const [doc, code] of readTsv(path.join(splitDir, `${split}D.tsv`))) {
    if (!doc || !code) continue;
    const list = codes.get(doc) ?? [];
    const normalised = dottedCode(code);
    if (!list.includes(normalised)) list.push(normalised);
    codes.set(doc, list);
  }
  const evidence = new Map<string, CodiEspEvidence[]>();
  for (const [doc, label, code, text, positions] of readTsv(path.join(splitDir, `${split}X.tsv`))) {
    if (label !== 'DIAGNOSTICO' || !doc || !code || text === undefined || !positions) continue;
    const ranges = positions.split(';').map((p) => p.trim().split(/\s+/).map(Number) as [number, number]);
    const list = evidence.get(doc) ?? [];
    list.push({ code: dottedCode(code), text, ranges });
    evidence.set(doc, list);
  }
  const spanishDir = path.join(splitDir, 'text_files');
  return readdirSync(englishDir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const id = name.slice(0, -4);
      const spanishFile = path.join(spanishDir, name);
      return {
        id,
        english: readFileSync(path.join(englishDir, name), 'utf8'),
        spanish: existsSync(spanishFile) ? readFileSync(spanishFile, 'utf8') : undefined,
        codes: codes.get(id) ?? [],
        evidence: evidence.get(id) ?? [],
      };
    });
}
