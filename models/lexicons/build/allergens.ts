/**
 * Allergen and reaction vocabularies: the Synthea allergy seeds (Apache-2.0; SNOMED CT / RxNorm codes) plus a
 * short project list of allergen classes clinicians write that are not single drugs ("sulfa", "contrast").
 * Drug allergens are also found through the drug lexicon.
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { readTsv } from './sources.ts';

import type { CodedTermRecord as CodedTerm } from '../../../src/notes/structuring/lexicon-format.ts';

const systems = { 'SNOMED-CT': 'http://snomed.info/sct', RxNorm: 'http://www.nlm.nih.gov/research/umls/rxnorm' } as const;

/** Everyday names for the Synthea allergens (by their display) and allergen classes without a single code. */
const allergenSynonyms: Record<string, string[]> = {
  'Latex (substance)': ['latex'],
  'Grass pollen (substance)': ['grass pollen', 'grass', 'grasses'],
  'House dust mite (organism)': ['dust mites', 'dust mite', 'dust'],
  'Animal dander (substance)': ['animal dander', 'dander', 'cats', 'cat dander', 'dogs', 'dog dander'],
  'Bee venom (substance)': ['bee venom', 'bee stings', 'bee sting', 'bees', 'wasp stings'],
  'Tree pollen (substance)': ['tree pollen', 'pollen', 'pollens'],
  'Mold (organism)': ['mold', 'molds', 'mould'],
  'Eggs (edible) (substance)': ['eggs', 'egg'],
  "Cow's milk (substance)": ['milk', "cow's milk", 'dairy', 'lactose'],
  'Wheat (substance)': ['wheat', 'gluten'],
  'Tree nut (substance)': ['tree nuts', 'tree nut', 'nuts', 'walnuts', 'almonds', 'cashews'],
  'Shellfish (substance)': ['shellfish', 'shrimp', 'crab', 'lobster'],
  'Fish (substance)': ['fish'],
  'Peanut (substance)': ['peanuts', 'peanut', 'peanut butter'],
};

const allergenClasses: Array<[string, CodedTerm['category']]> = [
  ['sulfa', 'medication'], ['sulfa drugs', 'medication'], ['sulfonamides', 'medication'], ['penicillins', 'medication'],
  ['cephalosporins', 'medication'], ['nsaids', 'medication'], ['opioids', 'medication'], ['opiates', 'medication'],
  ['iodine', 'medication'], ['iv contrast', 'medication'], ['contrast dye', 'medication'], ['contrast', 'medication'],
  ['tape', 'environment'], ['adhesive', 'environment'], ['adhesive tape', 'environment'], ['seasonal allergens', 'environment'],
  ['strawberries', 'food'], ['soy', 'food'], ['sesame', 'food'], ['tomatoes', 'food'], ['chocolate', 'food'],
];

export function buildAllergens(): CodedTerm[] {
  const terms = new Map<string, CodedTerm>();
  const add = (phrase: string, term: Omit<CodedTerm, 'key'>) => {
    const key = matchKey(phrase);
    if (key && !terms.has(key)) terms.set(key, { key, ...term });
  };
  for (const row of readTsv('lexicons', 'allergens-synthea', 'synthea_allergens_distinct.tsv')) {
    const system = systems[row.code_system as keyof typeof systems] ?? null;
    const category = (row.category as CodedTerm['category']) ?? null;
    const display = row.description!;
    const plain = display.replace(/\s*\((substance|organism|edible)\)/g, '').trim();
    add(plain, { display, system, code: row.code!, category });
    for (const synonym of allergenSynonyms[display] ?? []) add(synonym, { display, system, code: row.code!, category });
  }
  for (const [phrase, category] of allergenClasses) add(phrase, { display: phrase, system: null, code: null, category });
  return [...terms.values()];
}

/** Reactions: the Synthea reaction findings plus their everyday names. */
const reactionSynonyms: Record<string, string[]> = {
  'Abdominal pain (finding)': ['abdominal pain', 'stomach pain', 'stomach upset', 'gi upset', 'upset stomach'],
  'Allergic angioedema (disorder)': ['angioedema', 'swelling', 'facial swelling', 'lip swelling', 'throat swelling', 'tongue swelling'],
  'Allergic skin rash': ['rash', 'skin rash'],
  'Cough (finding)': ['cough'],
  'Dyspnea (finding)': ['dyspnea', 'shortness of breath', 'difficulty breathing', 'trouble breathing', 'sob'],
  'Eruption of skin (disorder)': ['eruption', 'skin eruption'],
  'Finding of vomiting (finding)': ['vomiting', 'nausea and vomiting', 'nausea'],
  'Itching (finding)': ['itching', 'itch', 'pruritus', 'itchy'],
  'Rhinoconjunctivitis (disorder)': ['rhinoconjunctivitis', 'runny nose', 'watery eyes', 'itchy eyes'],
  Sneezing: ['sneezing'],
  'Wheal (finding)': ['hives', 'urticaria', 'wheals', 'welts'],
  'Wheezing (finding)': ['wheezing', 'wheeze'],
};

const extraReactions = ['anaphylaxis', 'anaphylactic shock', 'anaphylactic reaction', 'diarrhea', 'headache', 'dizziness', 'throat closing', 'palpitations', 'flushing', 'blisters', 'stevens-johnson syndrome', 'muscle aches', 'confusion', 'hallucinations'];

export function buildReactions(): CodedTerm[] {
  const terms = new Map<string, CodedTerm>();
  const add = (phrase: string, term: Omit<CodedTerm, 'key'>) => {
    const key = matchKey(phrase);
    if (key && !terms.has(key)) terms.set(key, { key, ...term });
  };
  for (const row of readTsv('lexicons', 'allergens-synthea', 'synthea_allergy_reactions_distinct.tsv')) {
    const display = row.description!;
    const system = systems[row.code_system as keyof typeof systems] ?? null;
    for (const synonym of reactionSynonyms[display] ?? [display.replace(/\s*\((finding|disorder)\)/g, '')]) {
      add(synonym, { display, system, code: row.code!, category: null });
    }
  }
  for (const phrase of extraReactions) add(phrase, { display: phrase, system: null, code: null, category: null });
  return [...terms.values()];
}
