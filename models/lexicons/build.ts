/**
 * Derives the note-structuring lexicons in models/lexicons from the shared source data. Deterministic:
 * running it again on the same sources rewrites byte-identical files.
 *
 *   npx tsx models/lexicons/build.ts
 *
 * Sources, licences and attribution: models/lexicons/README.md.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { modelLocations } from '../../src/config/paths.ts';
import { buildAllergens, buildReactions } from './build/allergens.ts';
import { loadCommonWords } from './build/common-words.ts';
import { buildContextTriggers } from './build/context.ts';
import { DrugLexiconBuilder } from './build/drugs.ts';
import { buildLabLexicon } from './build/labs.ts';
import {
  ProblemLexiconBuilder,
  addAbbreviations,
  addClinicalPhrases,
  addDrugTable,
  addExternalCauseIndex,
  addNeoplasmTable,
  addSynonymPairs,
  addTabular,
} from './build/problems.ts';
import { buildSectionHeaders } from './build/section-headers.ts';
import { LEXICON_FORMAT_VERSION, problemSourceCodes } from '../../src/notes/structuring/lexicon-format.ts';

const outDir = path.join(modelLocations().modelsDir, 'lexicons');

function writeJson(name: string, data: unknown): void {
  writeFileSync(path.join(outDir, name), JSON.stringify(data) + '\n');
}

function writeGzipJson(name: string, data: unknown): void {
  // mtime 0 in the gzip header keeps the artifact byte-identical across rebuilds.
  const gz = gzipSync(Buffer.from(JSON.stringify(data)), { level: 9 });
  gz.writeUInt32LE(0, 4);
  writeFileSync(path.join(outDir, name), gz);
}

const commonWords = loadCommonWords();

const problems = new ProblemLexiconBuilder(commonWords);
addTabular(problems);
addNeoplasmTable(problems);
addDrugTable(problems);
addExternalCauseIndex(problems);
addClinicalPhrases(problems);
addSynonymPairs(problems);
addAbbreviations(problems);
const problemEntries = problems.entriesList();
writeGzipJson('problems.json.gz', {
  version: LEXICON_FORMAT_VERSION,
  columns: ['key', 'display', 'codes', 'source', 'confidence', 'caseSensitive'],
  rows: problemEntries.map((e) => [e.key, e.display, e.codes.join(' '), problemSourceCodes[e.source], e.confidence, e.caseSensitive ? 1 : 0]),
});

const labs = buildLabLexicon(commonWords);
writeJson('labs.json', {
  version: LEXICON_FORMAT_VERSION,
  columns: ['key', 'loinc', 'display', 'caseSensitive'],
  rows: labs.map((e) => [e.key, e.loinc, e.display, e.caseSensitive ? 1 : 0]),
});

const drugs = new DrugLexiconBuilder(commonWords, new Set(labs.filter((l) => !l.drugLevel).map((l) => l.key)));
drugs.addRxNormIngredients();
drugs.addSyntheaRxNormIds();
drugs.addRxNormBrands();
drugs.addDrugsAtFda();
drugs.addMedlinePlus();
drugs.addDrugBankSynonyms();
drugs.addMedicationClasses();
const drugEntries = drugs.entriesList();
writeGzipJson('drugs.json.gz', {
  version: LEXICON_FORMAT_VERSION,
  columns: ['key', 'display', 'rxcuis', 'kind', 'weak'],
  rows: drugEntries.map((e) => [e.key, e.display, e.rxcuis.join(' '), e.kind === 'brand' ? 1 : 0, e.weak ? 1 : 0]),
  combinationColumns: ['ingredientRxcuis', 'rxcui', 'name'],
  combinations: drugs.combinationsList(),
});

const triggers = buildContextTriggers();
writeJson('context-triggers.json', { version: LEXICON_FORMAT_VERSION, triggers });

const headers = buildSectionHeaders();
writeJson('section-headers.json', { version: LEXICON_FORMAT_VERSION, headers });

const allergens = buildAllergens();
const reactions = buildReactions();
writeJson('allergens.json', { version: LEXICON_FORMAT_VERSION, allergens, reactions });

const counts = {
  problems: problemEntries.length,
  drugs: drugEntries.length,
  labs: labs.length,
  contextTriggers: triggers.length,
  sectionHeaders: headers.length,
  allergens: allergens.length,
  reactions: reactions.length,
};
process.stdout.write(JSON.stringify(counts) + '\n');
