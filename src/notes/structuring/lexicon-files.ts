/** Reads the derived lexicons and the section classifier from `<models>/lexicons` (built by models/lexicons/build.ts). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LEXICON_FORMAT_VERSION } from './lexicon-format.ts';
import type { LexiconTables } from './lexicons.ts';
import { SECTION_CLASSIFIER_VERSION, type SectionClassifierModel } from './section-classifier.ts';

function lexiconDir(modelsDir: string): string {
  return path.join(modelsDir, 'lexicons');
}

function readJson<T extends { version: number }>(dir: string, name: string): T {
  const file = path.join(dir, name);
  const raw = name.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
  const data = JSON.parse(raw) as T;
  if (data.version !== LEXICON_FORMAT_VERSION) {
    throw new Error(`${file} has lexicon format ${data.version}, expected ${LEXICON_FORMAT_VERSION}; rebuild with models/lexicons/build.ts`);
  }
  return data;
}

export function readLexiconTables(modelsDir: string): LexiconTables {
  const dir = lexiconDir(modelsDir);
  return {
    problems: readJson(dir, 'problems.json.gz'),
    drugs: readJson(dir, 'drugs.json.gz'),
    labs: readJson(dir, 'labs.json'),
    triggers: readJson(dir, 'context-triggers.json'),
    allergens: readJson(dir, 'allergens.json'),
    sectionHeaders: readJson(dir, 'section-headers.json'),
  };
}

export function sectionClassifierFile(modelsDir: string): string {
  return path.join(lexiconDir(modelsDir), 'section-classifier.json');
}

export function readSectionClassifier(modelsDir: string): SectionClassifierModel {
  const file = sectionClassifierFile(modelsDir);
  const data = JSON.parse(readFileSync(file, 'utf8')) as SectionClassifierModel;
  if (data.version !== SECTION_CLASSIFIER_VERSION) {
    throw new Error(`${file} has classifier version ${data.version}, expected ${SECTION_CLASSIFIER_VERSION}`);
  }
  return data;
}
