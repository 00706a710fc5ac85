/**
 * ConText trigger lexicon, merged from three published lists and a short project list:
 *  - medspaCy context_rules.json (MIT): token patterns expanded into literal phrases,
 *  - pyConTextNLP lexical_kb_05042016.tsv (Apache-2.0): literal phrases by type,
 *  - NegEx negex_triggers.txt (Apache-2.0, Chapman et al.): PREN/POST/PREP/POSP/PSEU/CONJ,
 *  - project additions (documented below), for clinic-note phrasings the lists lack.
 * The first source to define a phrase decides its category and direction.
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { readShared, readTsv } from './sources.ts';

import type { TriggerCategory, TriggerDirection, TriggerRecord as TriggerEntry } from '../../../src/notes/structuring/lexicon-format.ts';

const medspacyCategory: Record<string, TriggerCategory> = {
  NEGATED_EXISTENCE: 'negated',
  POSSIBLE_EXISTENCE: 'uncertain',
  HISTORICAL: 'historical',
  HYPOTHETICAL: 'hypothetical',
  FAMILY: 'family',
};

const pycontextCategory: Record<string, TriggerCategory> = {
  DEFINITE_NEGATED_EXISTENCE: 'negated',
  PROBABLE_NEGATED_EXISTENCE: 'negated',
  PROBABLE_EXISTENCE: 'uncertain',
  AMBIVALENT_EXISTENCE: 'uncertain',
  INDICATION: 'uncertain',
  HISTORICAL: 'historical',
  FUTURE: 'hypothetical',
  HYPOTHETICAL: 'hypothetical',
  PSEUDONEG: 'pseudo',
  CONJ: 'terminate',
};

/**
 * pyConText was written for radiology reports, where "stable", "increase" or "appear" describe comparisons with
 * prior studies. In clinic notes these words are everywhere and say nothing about the patient's history or
 * certainty, so their bidirectional single-word forms are left out.
 */
const pycontextRadiologyOnly = new Set([
  'again', 'appear', 'clear', 'diminished', 'evolving', 'improved', 'increase', 'decrease', 'interval change',
  'new', 'acute', 'stable', 'persistent', 'evaluation', 'examination', 'indication', 'exhibit', 'signs of',
  'believe', 'unchanged', 'likely chronic', 'healing', 'chronic', 'not', 'protocol', 'varying ages', 'now measuring',
  'progressed', 'equivocal', 'suggest', 'favor', 'risk factor', 'associated with', 'is present', 'documented',
  'change in', 'changing', 'decrease in', 'known', 'residual', 'evidence',
]);

/**
 * medspaCy's ": no" / ": none" read "Fever: no" backwards, but as longest matches they swallow the "No" that
 * opens a finding list after a label ("Extremities: No clubbing, cyanosis"); the plain triggers cover both.
 */
const excludedListTriggers = new Set([': no', ': none']);

/**
 * pyConText's HISTORICAL entries mostly compare a radiology study with a prior one ("no interval change",
 * "redemonstration"); only these describe a patient's past in clinical notes.
 */
const pycontextClinicalHistorical = new Set(['history of', 'clinical history', 'sequelae of']);

/** Project additions. Each line: phrase | category | direction | closes (for terminators). */
const clinoteTriggers: Array<[string, TriggerCategory, TriggerDirection, TriggerCategory[] | 'all']> = [
  // Affirmative reporting verbs end a negation's scope: "denies chest pain, reports dyspnea".
  ['reports', 'terminate', 'none', ['negated']],
  ['reported', 'terminate', 'none', ['negated']],
  ['endorses', 'terminate', 'none', ['negated']],
  ['endorsed', 'terminate', 'none', ['negated']],
  ['complains of', 'terminate', 'none', ['negated']],
  ['positive for', 'terminate', 'none', ['negated', 'uncertain']],
  ['admits to', 'terminate', 'none', ['negated']],
  ['notes', 'terminate', 'none', ['negated']],
  // "without known allergies, with a history of hypertension", "no fever, with cough": "with" opens an affirmed clause.
  ['with', 'terminate', 'none', ['negated']],
  // A relative clause asserts something new: "a man with no relevant history, who underwent vasectomy".
  ['who', 'terminate', 'none', ['negated']],
  ['presents with', 'terminate', 'none', ['negated', 'historical', 'family']],
  ['who presents', 'terminate', 'none', ['negated', 'historical', 'family']],
  ['presented', 'terminate', 'none', ['historical', 'family']],
  ['admitted with', 'terminate', 'none', ['historical', 'family']],
  ['admitted for', 'terminate', 'none', ['historical', 'family']],
  ['is here', 'terminate', 'none', ['historical', 'family']],
  // The patient is the experiencer again after a family member was mentioned.
  ['patient', 'terminate', 'none', ['family']],
  ['he', 'terminate', 'none', ['family']],
  ['she', 'terminate', 'none', ['family']],
  // Personal history phrasings.
  ['status post', 'historical', 'forward', []],
  ['s/p', 'historical', 'forward', []],
  ['in the past', 'historical', 'backward', []],
  ['years ago', 'historical', 'backward', []],
  ['previous', 'historical', 'forward', []],
  ['previously', 'historical', 'bidirectional', []],
  ['prior', 'historical', 'forward', []],
  ['past medical history', 'historical', 'forward', []],
  ['past surgical history', 'historical', 'forward', []],
  ['medical history', 'historical', 'forward', []],
  ['childhood', 'historical', 'bidirectional', []],
  ['remote', 'historical', 'forward', []],
  ['old', 'historical', 'forward', []],
  ['pmh', 'historical', 'forward', []],
  ['hx of', 'historical', 'forward', []],
  // "history" inside these phrases is about the present complaint, not the past.
  ['history of present illness', 'pseudo', 'none', []],
  ['day history', 'pseudo', 'none', []],
  ['week history', 'pseudo', 'none', []],
  ['month history', 'pseudo', 'none', []],
  ['hour history', 'pseudo', 'none', []],
  ['social history', 'pseudo', 'none', []],
  // Ages: "a 58-year-old man with CHF" says nothing about when the CHF began.
  ['year old', 'pseudo', 'none', []],
  ['month old', 'pseudo', 'none', []],
  ['week old', 'pseudo', 'none', []],
  ['day old', 'pseudo', 'none', []],
  ['prior to', 'pseudo', 'none', []],
  // Conditional instructions.
  ['hold if', 'hypothetical', 'forward', []],
  ['call if', 'hypothetical', 'forward', []],
  ['return if', 'hypothetical', 'forward', []],
  ['in case of', 'hypothetical', 'forward', []],
  ['watch for', 'hypothetical', 'forward', []],
  ['monitor for', 'hypothetical', 'forward', []],
  ['should she', 'hypothetical', 'forward', []],
  ['should they', 'hypothetical', 'forward', []],
  ['in the event of', 'hypothetical', 'forward', []],
  ['unless', 'hypothetical', 'forward', []],
  ['prn', 'hypothetical', 'forward', []],
  // Family history.
  ['family history', 'family', 'forward', []],
  ['fh', 'family', 'forward', []],
  ['fhx', 'family', 'forward', []],
  // Negations common in notes that the lists spell differently.
  ['no known', 'negated', 'forward', []],
  ['no history of', 'negated', 'forward', []],
  ['were negative', 'negated', 'backward', []],
  ['came back negative', 'negated', 'backward', []],
  ['returned negative', 'negated', 'backward', []],
  ['none', 'negated', 'backward', []],
  // "cholecystitis not present", "invasive fungal infection not suspected": the longer phrase shadows the forward
  // "not" that would reach the next finding, and "suspected" that would make this one possible.
  ['not present', 'negated', 'backward', []],
  ['not suspected', 'negated', 'backward', []],
  // NegEx/ConText annotate resolved findings as negated ("nausea and vomiting resolved").
  ['resolved', 'negated', 'backward', []],
  // Uncertainty, not negation (pyConText files "questionable" under probable negation).
  ['questionable', 'uncertain', 'forward', []],
  // An improbable diagnosis is still being weighed, not excluded ("Pulmonary embolism unlikely"); medspaCy files
  // "unlikely" under negation. "vs" weighs two diagnoses against each other ("pneumonia vs bronchitis").
  ['unlikely', 'uncertain', 'backward', []],
  ['vs', 'uncertain', 'bidirectional', []],
  ['is possible', 'uncertain', 'backward', []],
  ['to be excluded', 'uncertain', 'backward', []],
  ['to exclude', 'uncertain', 'forward', []],
  // A screening or test that came back negative excludes the condition ("psoriatic arthritis screening negative").
  ['screening negative', 'negated', 'backward', []],
  ['absent', 'negated', 'backward', []],
  ['screening was negative', 'negated', 'backward', []],
  ['screen negative', 'negated', 'backward', []],
  ['testing negative', 'negated', 'backward', []],
  // A relative who reports is the informant, not the one with the finding ("mother reports 6 y/o with vomiting").
  ['mother reports', 'pseudo', 'none', []],
  ['mother states', 'pseudo', 'none', []],
  ['mother says', 'pseudo', 'none', []],
  ['father reports', 'pseudo', 'none', []],
  ['father states', 'pseudo', 'none', []],
  ['parents report', 'pseudo', 'none', []],
  ['parent reports', 'pseudo', 'none', []],
  ['wife reports', 'pseudo', 'none', []],
  ['husband reports', 'pseudo', 'none', []],
  ['daughter reports', 'pseudo', 'none', []],
  ['son reports', 'pseudo', 'none', []],
  ['per mother', 'pseudo', 'none', []],
  ['per family', 'pseudo', 'none', []],
  ['evaluate for', 'uncertain', 'forward', []],
  ['evaluation for', 'uncertain', 'forward', []],
  ['to evaluate', 'uncertain', 'forward', []],
  ['ruled out', 'negated', 'backward', []],
  ['quit', 'historical', 'bidirectional', []],
  ['former', 'historical', 'forward', []],
];

/** Expands a spaCy token pattern ({LOWER: x} / {LOWER: {IN: [...]}}, OP "?") into literal phrases. */
function expandPattern(pattern: Array<Record<string, unknown>>): string[] {
  let phrases: string[][] = [[]];
  for (const token of pattern) {
    const lower = token.LOWER;
    const options = typeof lower === 'string' ? [lower] : Array.isArray((lower as { IN?: unknown })?.IN) ? ((lower as { IN: string[] }).IN) : [];
    if (options.length === 0) return [];
    const next: string[][] = [];
    for (const p of phrases) {
      for (const o of options) next.push([...p, o]);
      if (token.OP === '?') next.push(p);
    }
    phrases = next;
    if (phrases.length > 2000) return [];
  }
  return phrases.filter((p) => p.length > 0).map((p) => p.join(' '));
}

export function buildContextTriggers(): TriggerEntry[] {
  const entries = new Map<string, TriggerEntry>();
  const add = (phrase: string, entry: Omit<TriggerEntry, 'key'>) => {
    const key = matchKey(phrase.replace(/\\b|\\s/g, ' '));
    if (!key || entries.has(key) || excludedListTriggers.has(phrase.trim())) return;
    // A bare apostrophe-s or single punctuation mark is not a trigger.
    if (!/[a-z]/.test(key)) return;
    entries.set(key, { key, ...entry });
  };

  // Project additions go first: they correct list entries that misfire in clinic notes.
  for (const [phrase, category, direction, closes] of clinoteTriggers) add(phrase, { category, direction, closes, source: 'clinote' });

  const medspacy = JSON.parse(readShared('lexicons', 'medspacy', 'context_rules_en.json')) as {
    context_rules: Array<{ category: string; literal: string; pattern: Array<Record<string, unknown>> | null; direction: string }>;
  };
  for (const rule of medspacy.context_rules) {
    const category = medspacyCategory[rule.category];
    if (!category) continue;
    const direction = rule.direction.toLowerCase();
    const phrases = rule.pattern ? expandPattern(rule.pattern) : [rule.literal];
    for (const phrase of phrases) {
      if (direction === 'terminate') add(phrase, { category: 'terminate', direction: 'none', closes: [category], source: 'medspacy' });
      else if (direction === 'pseudo') add(phrase, { category: 'pseudo', direction: 'none', closes: [], source: 'medspacy' });
      else add(phrase, { category, direction: direction as TriggerDirection, closes: [], source: 'medspacy' });
    }
  }

  const pycontextRows = readTsv('lexicons', 'pycontextnlp', 'lexical_kb_05042016.tsv');
  for (const row of pycontextRows) {
    const lex = (row.Lex ?? '').trim().toLowerCase();
    const category = pycontextCategory[row.Type ?? ''];
    if (!lex || !category || /[()|\\[\]#?]/.test(lex) || pycontextRadiologyOnly.has(lex)) continue;
    if (category === 'historical' && !pycontextClinicalHistorical.has(lex)) continue;
    const rawDirection = (row.Direction ?? '').toLowerCase().replace(/s$/, '');
    if (category === 'terminate') add(lex, { category, direction: 'none', closes: 'all', source: 'pycontext' });
    else if (category === 'pseudo') add(lex, { category, direction: 'none', closes: [], source: 'pycontext' });
    else if (['forward', 'backward', 'bidirectional'].includes(rawDirection)) {
      add(lex, { category, direction: rawDirection as TriggerDirection, closes: [], source: 'pycontext' });
    }
  }

  const negexTags: Record<string, Omit<TriggerEntry, 'key' | 'source'>> = {
    '[PREN]': { category: 'negated', direction: 'forward', closes: [] },
    '[POST]': { category: 'negated', direction: 'backward', closes: [] },
    '[PREP]': { category: 'uncertain', direction: 'forward', closes: [] },
    '[POSP]': { category: 'uncertain', direction: 'backward', closes: [] },
    '[PSEU]': { category: 'pseudo', direction: 'none', closes: [] },
    '[CONJ]': { category: 'terminate', direction: 'none', closes: 'all' },
  };
  for (const line of readShared('eval', 'negex', 'negex_triggers.txt').split(/\r?\n/)) {
    const [phrase, , tag] = line.split('\t');
    const spec = tag ? negexTags[tag.trim()] : undefined;
    if (phrase && spec) add(phrase.trim(), { ...spec, source: 'negex' });
  }
  return [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
