/**
 * The problem lexicon: phrase → candidate ICD-10-CM codes, from
 *  - FY2021 Tabular List titles and inclusion terms (with the classification's own conventions undone:
 *    parenthesised nonessential modifiers, ", unspecified" qualifiers, NOS),
 *  - FY2026 Neoplasm Table sites ("breast" → "breast cancer", "carcinoma of breast", …),
 *  - FY2026 Table of Drugs and Chemicals ("digoxin toxicity", "overdose of aspirin"),
 *  - FY2026 External Cause Index ("fall from ladder"),
 *  - clinical abbreviations (Medical Abbreviation Meta-Inventory sources) whose dominant sense is in the lexicon,
 *  - synonym pairs (WordNet medical synsets, MedQuAD focus synonyms) whose other side is in the lexicon.
 * Earlier sources win: a phrase keeps the codes of the most authoritative source that defines it.
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { decodeXml, readShared, readTsv } from './sources.ts';

import type { ProblemLexiconSource as ProblemSource } from '../../../src/notes/structuring/lexicon-format.ts';

export interface ProblemEntry {
  key: string;
  display: string;
  codes: string[];
  source: ProblemSource;
  /** How likely a match of this phrase denotes the coded concept (below 1 for ambiguous abbreviations). */
  confidence: number;
  /** Matched only when written in capitals (abbreviations that are also ordinary words). */
  caseSensitive: boolean;
}

const maxTokens = 8;
const maxCodesPerPhrase = 6;

/** Single words that are titles or title heads but mean nothing on their own in a note. */
const vagueSingleWords = new Set([
  'other', 'unspecified', 'encounter', 'examination', 'counseling', 'care', 'problem', 'disorder', 'disease',
  'condition', 'syndrome', 'history', 'observation', 'contact', 'exposure', 'screening', 'status', 'complication',
  'follow', 'supervision', 'finding', 'abnormality', 'lesion', 'injury', 'effect', 'reaction', 'state', 'dependence',
  'use', 'abuse', 'absence', 'presence', 'fitting', 'adjustment', 'removal', 'procedure', 'test', 'immunization',
  'vaccination', 'donor', 'delivery', 'birth', 'pregnancy', 'outcome', 'deformity', 'anomaly', 'malposition',
  'late', 'fall', 'accident', 'activity', 'place', 'alcohol', 'drug', 'tobacco', 'nicotine',
  // Ordinary words in notes whose disease sense is slang or a chapter heading ("reduce dose", "mask fit good",
  // "Endocrine:" naming the clinic, "no chronic illnesses").
  'dose', 'fit', 'endocrine', 'illness',
]);

export class ProblemLexiconBuilder {
  private readonly entries = new Map<string, ProblemEntry>();

  constructor(private readonly commonWords: ReadonlySet<string>) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): ProblemEntry | undefined {
    return this.entries.get(key);
  }

  /** Adds a phrase; an existing phrase from the same source gains the codes, one from an earlier source is kept. */
  add(phrase: string, codes: ReadonlyArray<string>, source: ProblemSource, confidence = 1, caseSensitive = false): void {
    const key = matchKey(phrase);
    const tokens = key.split(' ');
    if (key.length < 2 || tokens.length > maxTokens) return;
    if (!/[a-z]/.test(key)) return;
    if (tokens.length === 1 && (vagueSingleWords.has(key) || (source !== 'abbreviation' && key.length < 3))) return;
    const cleanCodes = codes.map((c) => c.replace(/[-.]+$/, '')).filter((c) => /^[A-Z]\d/.test(c));
    if (cleanCodes.length === 0) return;
    // A lone word coded only as an injury or poisoning ("radiation", "burning") is rarely used in that sense.
    if (tokens.length === 1 && source !== 'abbreviation' && cleanCodes.every((c) => c.startsWith('T'))) return;
    // An acronym that is also an ordinary or very short word ("ALL", "PE") must be written in capitals.
    const isAcronym = tokens.length === 1 && /^[A-Z0-9-]+$/.test(phrase.trim());
    const mustBeCapitals = caseSensitive || (isAcronym && (this.commonWords.has(key) || key.length <= 3));
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.source !== source) return;
      for (const code of cleanCodes) {
        if (existing.codes.length >= maxCodesPerPhrase) break;
        if (!existing.codes.includes(code)) existing.codes.push(code);
      }
      return;
    }
    this.entries.set(key, {
      key,
      display: phrase.replace(/\s+/g, ' ').trim(),
      codes: [...new Set(cleanCodes)].slice(0, maxCodesPerPhrase),
      source,
      confidence,
      caseSensitive: mustBeCapitals,
    });
  }

  entriesList(): ProblemEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  isCommonWord(word: string): boolean {
    return this.commonWords.has(word.toLowerCase());
  }
}

/**
 * The phrasings a classification title stands for, undoing the classification's conventions: parenthesised
 * nonessential modifiers are optional, square brackets hold synonyms ("[HIV]"), a trailing ", unspecified …"
 * qualifier or a leading "Unspecified" marks the plain phrase, "X without complications" is plain "X", and
 * short "pain in knee" / "cancer of breast" titles are also written "knee pain" / "breast cancer".
 */
export function titleVariants(rawTitle: string): string[] {
  const decoded = decodeXml(rawTitle)
    .replace(/\([^)]*\b[A-Z]\d{2}[^)]*\)/g, ' ') // cross-references such as "(E08-E13)"
    .replace(/\bNOS\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const bases = new Set<string>();
  const bracket = /\[([^\]]+)\]/.exec(decoded);
  bases.add(decoded.replace(/\[[^\]]*\]/g, ' '));
  if (bracket && /^[A-Z0-9-]{2,8}$/.test(bracket[1]!)) {
    // "Human immunodeficiency virus [HIV] disease": the acronym replaces the words before it.
    const acronym = bracket[1]!;
    const before = decoded.slice(0, bracket.index).trim().split(/\s+/);
    const expansion = before.slice(-acronym.replace(/-/g, '').length);
    const initials = expansion.map((w) => w[0]!.toUpperCase()).join('');
    if (initials === acronym.replace(/-/g, '')) {
      const rest = decoded.slice(bracket.index + bracket[0].length).trim();
      bases.add([...before.slice(0, before.length - expansion.length), acronym, rest].join(' '));
      // "HIV" alone names the same disease as "HIV disease".
      if (/^(disease|infection|syndrome)?$/i.test(rest) && before.length === expansion.length) bases.add(acronym);
    }
  }
  const variants = new Set<string>();
  for (const base of bases) {
    for (const form of [base.replace(/[()]/g, ' '), base.replace(/\([^)]*\)/g, ' ')]) {
      const clean = form.replace(/\s+/g, ' ').replace(/\s+,/g, ',').trim();
      // "Pain in unspecified knee" is "pain in knee"; "Unspecified atrial fibrillation" is "atrial fibrillation".
      const plain = (phrase: string) => phrase.replace(/^unspecified\s+/i, '').replace(/\s+unspecified\s+/gi, ' ').trim();
      const comma = clean.indexOf(',');
      if (comma < 0) variants.add(plain(clean));
      else if (/unspecified|not specified|not elsewhere|\bNEC\b/i.test(clean.slice(comma))) variants.add(plain(clean.slice(0, comma)));
    }
  }
  for (const v of [...variants]) {
    const without = /^(.+?) without (complications?|mention of .*|.*)$/i.exec(v);
    if (without && !/ with /i.test(without[1]!)) variants.add(without[1]!);
  }
  // "Type 2 diabetes mellitus" is also "type 2 diabetes", "diabetes mellitus type 2", "type II diabetes".
  for (const v of [...variants]) if (/diabetes mellitus/i.test(v)) variants.add(v.replace(/diabetes mellitus/i, 'diabetes'));
  for (const v of [...variants]) {
    const m = /^([\w-]+(?: [\w-]+)?) (of|in) ([\w-]+(?: [\w-]+)?)$/i.exec(v);
    if (m && !/\b(and|or|with|without|due|to|unspecified|other)\b/i.test(v)) {
      const site = m[3]!;
      variants.add(`${site[0]!.toUpperCase()}${site.slice(1)} ${m[1]!.toLowerCase()}`);
    }
    const typed = /^type (\d) (.+)$/i.exec(v);
    if (typed) {
      const roman = ['', 'i', 'ii', 'iii'][Number(typed[1])];
      variants.add(`${typed[2]} type ${typed[1]}`);
      if (roman) variants.add(`type ${roman} ${typed[2]}`);
    }
  }
  return [...variants].filter((v) => v.length > 1);
}

/** Tabular List diagnoses and inclusion terms, most specific code first for a shared phrase. */
export function addTabular(builder: ProblemLexiconBuilder): void {
  const xml = readShared('icd10cm', 'icd10cm-fy2021-jan', 'icd10cm_tabular_2021.xml');
  const stack: string[] = [];
  const titles: Array<{ code: string; title: string; hasChildren: boolean }> = [];
  const inclusions: Array<{ code: string; term: string }> = [];
  const childCount = new Map<string, number>();
  let inInclusion = false;
  let pendingName = false;
  // Container tags open and close; leaf tags (name, desc, note) carry text. Notes count only inside
  // inclusionTerm and includes, which list phrases the code stands for (excludes and code-first notes do not).
  for (const m of xml.matchAll(/<(\/?)(diag|inclusionTerm|includes)>|<(name|desc|note)>([^<]*)<\/\3>/g)) {
    const [, closing, container, leaf, content] = m;
    if (container === 'diag') {
      if (closing) stack.pop();
      else pendingName = true;
    } else if (container) {
      inInclusion = !closing;
    } else if (leaf === 'name' && pendingName) {
      const code = content!.trim();
      const parent = stack[stack.length - 1];
      if (parent) childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
      stack.push(code);
      pendingName = false;
    } else if (leaf === 'desc' && stack.length > 0) {
      titles.push({ code: stack[stack.length - 1]!, title: content!, hasChildren: false });
    } else if (leaf === 'note' && inInclusion && stack.length > 0) {
      inclusions.push({ code: stack[stack.length - 1]!, term: content! });
    }
  }
  for (const t of titles) t.hasChildren = (childCount.get(t.code) ?? 0) > 0;
  // Leaf (billable) codes first so a phrase shared by a category and its ".9" child lists the child first.
  const ordered = [...titles].sort((a, b) => Number(a.hasChildren) - Number(b.hasChildren));
  for (const { code, title } of ordered) {
    for (const variant of titleVariants(title)) builder.add(variant, [code], 'tabular');
  }
  for (const { code, term } of inclusions) {
    for (const variant of titleVariants(term)) builder.add(variant, [code], 'inclusion');
  }
}

interface IndexTerm {
  titles: string[];
  cells: Map<number, string>;
  code: string | null;
  level: number;
}

/** Walks an Alphabetic Index XML file (mainTerm/term nesting) and yields every term with its title path. */
function walkIndex(xml: string, visit: (term: IndexTerm) => void): void {
  const stack: IndexTerm[] = [];
  const tagPattern = /<(\/?)(mainTerm|term|title|cell|code)(?:\s+(?:level|col)="(\d+)")?>/g;
  let m: RegExpExecArray | null;
  while ((m = tagPattern.exec(xml)) !== null) {
    const [, closing, tag, attr] = m;
    if (tag === 'mainTerm' || tag === 'term') {
      if (closing) {
        const done = stack.pop();
        if (done) visit(done);
      } else {
        const parentTitles = stack.length > 0 ? stack[stack.length - 1]!.titles : [];
        stack.push({ titles: [...parentTitles], cells: new Map(), code: null, level: attr ? Number(attr) : 0 });
      }
      continue;
    }
    if (closing || stack.length === 0) continue;
    const end = xml.indexOf(`</${tag}>`, tagPattern.lastIndex);
    const inner = xml.slice(tagPattern.lastIndex, end);
    tagPattern.lastIndex = end + tag!.length + 3;
    const top = stack[stack.length - 1]!;
    if (tag === 'title') top.titles.push(decodeXml(inner.replace(/<nemod>[\s\S]*?<\/nemod>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim());
    else if (tag === 'cell') top.cells.set(Number(attr), inner.trim());
    else if (tag === 'code') top.code = inner.trim();
  }
}

/** "abdomen, abdominal" → ["abdomen", "abdominal"]. */
function siteNames(title: string): string[] {
  return title
    .replace(/\bNEC\b/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 2 && !/\b(see|and|or)\b/i.test(s));
}

const usableCode = (cell: string | undefined): cell is string => !!cell && /^[A-Z]\d/.test(cell);

/** Neoplasm Table: every site (level 1) gives the everyday phrasings of a malignancy, metastasis or tumour there. */
export function addNeoplasmTable(builder: ProblemLexiconBuilder): void {
  const xml = readShared('icd10cm', 'icd10cm-fy2026-apr', 'icd10cm-neoplasm-April-1-2026-XML.xml');
  walkIndex(xml, (term) => {
    if (term.level !== 1) return;
    const primary = term.cells.get(2);
    const secondary = term.cells.get(3);
    const unspecified = term.cells.get(7);
    for (const site of siteNames(term.titles[term.titles.length - 1] ?? '')) {
      if (usableCode(primary)) {
        for (const p of [`${site} cancer`, `cancer of ${site}`, `carcinoma of ${site}`, `${site} carcinoma`, `malignant neoplasm of ${site}`, `${site} malignancy`]) {
          builder.add(p, [primary], 'neoplasm');
        }
      }
      if (usableCode(secondary)) {
        for (const p of [`${site} metastasis`, `${site} metastases`, `metastasis to ${site}`, `metastases to ${site}`, `metastatic disease to ${site}`]) {
          builder.add(p, [secondary], 'neoplasm');
        }
      }
      if (usableCode(unspecified)) {
        for (const p of [`${site} tumor`, `tumor of ${site}`, `${site} neoplasm`, `neoplasm of ${site}`]) builder.add(p, [unspecified], 'neoplasm');
      }
    }
  });
}

/** Table of Drugs and Chemicals: unintentional poisoning and adverse-effect phrasings for each main substance. */
export function addDrugTable(builder: ProblemLexiconBuilder): void {
  const xml = readShared('icd10cm', 'icd10cm-fy2026-apr', 'icd10cm-drug-April-1-2026-XML.xml');
  walkIndex(xml, (term) => {
    if (term.level !== 0) return;
    const substance = (term.titles[0] ?? '').split(',')[0]!.trim();
    if (substance.length < 4 || /\d/.test(substance)) return;
    const poisoning = term.cells.get(2);
    const adverse = term.cells.get(6);
    if (usableCode(poisoning)) {
      for (const p of [`${substance} poisoning`, `poisoning by ${substance}`, `${substance} overdose`, `overdose of ${substance}`]) {
        builder.add(p, [poisoning], 'drug-table');
      }
    }
    if (usableCode(adverse)) builder.add(`${substance} toxicity`, [adverse], 'drug-table');
  });
}

/** External Cause Index: main terms and "main + prepositional sub-term" pairs ("fall from ladder"). */
export function addExternalCauseIndex(builder: ProblemLexiconBuilder): void {
  const xml = readShared('icd10cm', 'icd10cm-fy2026-apr', 'icd10cm-eindex-April-1-2026-XML.xml');
  walkIndex(xml, (term) => {
    if (!term.code || !/^[A-Z]\d/.test(term.code)) return;
    const mains = (term.titles[0] ?? '').replace(/\bNEC\b/g, '').split(',').map((s) => s.trim()).filter(Boolean);
    if (term.level === 0) {
      for (const main of mains) if (main.includes(' ')) builder.add(main, [term.code], 'external-cause', 0.6);
    } else if (term.level === 1) {
      const sub = term.titles[1] ?? '';
      if (!/^(from|into|on|off|down|in|over|while|by|with|against|through|under)\b/i.test(sub)) return;
      for (const main of mains) builder.add(`${main} ${sub.split(',')[0]}`, [term.code], 'external-cause', 0.6);
    }
  });
}

/** Synonym pairs whose one side is already a lexicon phrase give the other side the same codes. */
export function addSynonymPairs(builder: ProblemLexiconBuilder): void {
  const pairs: Array<[string, string]> = [];
  for (const row of readTsv('corpus', 'wordnet_medical', 'wordnet_medical_synonym_pairs.tsv')) {
    if (['disease', 'disorder', 'symptom', 'injury', 'pathology'].includes(row.category ?? '')) pairs.push([row.term!, row.synonym!]);
  }
  for (const row of readTsv('corpus', 'medquad', 'medquad_focus_synonyms.tsv')) pairs.push([row.focus!, row.synonym!]);
  const additions: Array<[string, string[]]> = [];
  for (const [a, b] of pairs) {
    for (const [known, other] of [[a, b], [b, a]] as const) {
      const entry = builder.get(matchKey(known));
      // Only well-defined phrases propagate: an exact title or inclusion term with a few codes at most.
      if (!entry || entry.codes.length > 3 || (entry.source !== 'tabular' && entry.source !== 'inclusion')) continue;
      if (/[-:(]/.test(other) && other.split(/\s+/).length > 4) continue;
      additions.push([other, entry.codes]);
    }
  }
  // A phrase in the lexicon before this pass (a title, or a project phrasing checked against the Index) keeps its codes.
  const known = new Set(additions.map(([phrase]) => matchKey(phrase)).filter((key) => builder.get(key)));
  for (const [phrase, codes] of additions) if (!known.has(matchKey(phrase))) builder.add(phrase, codes, 'synonym', 0.9);
}

/**
 * Everyday clinical phrasings the ICD-10-CM titles and inclusion terms do not spell out (the Alphabetic Index,
 * which holds most of them, is not in the shared data). Project-authored; each code checked against the
 * FY2021 tabular titles. Added after the tabular sources, so a title or inclusion term of the same words wins, and
 * before the synonym pairs, whose looser links ("aortic stenosis" ~ the rheumatic title) they override.
 */
const clinicalPhrases: Array<[string, string[]]> = [
  ['hyponatremia', ['E87.1']], ['hypernatremia', ['E87.0']], ['hypophosphatemia', ['E83.39']], ['hypoalbuminemia', ['E88.09']],
  ['volume overload', ['E87.70']], ['hypoxia', ['R09.02']], ['transaminitis', ['R74.01']], ['hyperbilirubinemia', ['E80.7']],
  ['diaphoresis', ['R61']], ['night sweats', ['R61']], ['blurred vision', ['H53.8']], ['blurry vision', ['H53.8']],
  ['visual changes', ['H53.9']], ['vision changes', ['H53.9']], ['double vision', ['H53.2']], ['weight loss', ['R63.4']],
  ['unintentional weight loss', ['R63.4']], ['weight gain', ['R63.5']], ['numbness', ['R20.0']], ['tingling', ['R20.2']],
  ['paresthesias', ['R20.2']], ['urinary frequency', ['R35.0']], ['frequent urination', ['R35.0']], ['pelvic pain', ['R10.2']],
  ['dyspnea on exertion', ['R06.09']], ['exertional dyspnea', ['R06.09']], ['rectal bleeding', ['K62.5']],
  ['vaginal bleeding', ['N93.9']], ['gi bleed', ['K92.2']], ['gi bleeding', ['K92.2']], ['gastrointestinal bleeding', ['K92.2']],
  ['upper gi bleed', ['K92.2']], ['upper gastrointestinal bleeding', ['K92.2']], ['nstemi', ['I21.4']], ['stemi', ['I21.3']],
  ['non-st elevation myocardial infarction', ['I21.4']], ['diabetic ketoacidosis', ['E11.10', 'E10.10']], ['dka', ['E11.10', 'E10.10']],
  ['pulmonary tuberculosis', ['A15.0']], ['skin infection', ['L08.9']], ['ear pain', ['H92.09']], ['alcohol withdrawal', ['F10.239']],
  ['opioid use disorder', ['F11.20', 'F11.10']], ['hypertensive nephrosclerosis', ['I12.9']], ['dry cough', ['R05']],
  ['productive cough', ['R05']], ['loss of smell', ['R43.0']], ['decreased urination', ['R34']], ['hemiparesis', ['G81.90']],
  ['right hemiparesis', ['G81.91']], ['left hemiparesis', ['G81.92']], ['chest tightness', ['R07.89']], ['lightheadedness', ['R42']],
  ['croup', ['J05.0']], ['barking cough', ['R05']], ['drooling', ['K11.7']], ['agitation', ['R45.1']], ['blood in stool', ['K92.1']],
  ['daytime sleepiness', ['R40.0']], ['nasal dryness', ['J34.89']], ['abnormal bleeding', ['N93.9']], ['gi upset', ['K30']],
  ['loss of consciousness', ['R40.20']], ['abo incompatibility', ['P55.1']], ['opportunistic infection', ['B99.9']],
  ['suicidal thoughts', ['R45.851']], ['febrile neutropenia', ['D70.9']], ['invasive fungal infection', ['B49']],
  ['fungal infection', ['B49']], ['hiv infection', ['B20']], ['patellofemoral pain syndrome', ['M22.2X9']], ['hypothyroid', ['E03.9']],
  ['chronic hepatitis c', ['B18.2']], ['chronic hepatitis b', ['B18.1']], ['ureteral stone', ['N20.1']], ['kidney stone', ['N20.0']],
  ['diverticulitis', ['K57.92', 'K57.32']], ['covid-19 pneumonia', ['J12.82']], ['wound infection', ['L08.9']],
  ['chronic rhinosinusitis with nasal polyps', ['J33.9', 'J32.9']], ['respiratory depression', ['R06.89']],
  ['head trauma', ['S09.90XA']], ['head injury', ['S09.90XA']], ['tuberculosis', ['A15.9']],
  ['opioid overdose', ['T40.2X1A']],
  // Valve disease as the Index reads it: aortic and mitral insufficiency and aortic stenosis are nonrheumatic unless
  // stated (I34, I35); mitral stenosis is rheumatic by default (Stenosis, mitral I05.0).
  ['aortic stenosis', ['I35.0']], ['aortic valve stenosis', ['I35.0']], ['aortic regurgitation', ['I35.1']],
  ['aortic insufficiency', ['I35.1']], ['mitral regurgitation', ['I34.0']], ['mitral insufficiency', ['I34.0']],
  ['mitral valve prolapse', ['I34.1']], ['mitral stenosis', ['I05.0']], ['pulmonic stenosis', ['I37.0']],
  // Abbreviations whose dominant clinical sense the inventories and synonym pairs got wrong or left at a stage or
  // category: CAD is coronary artery disease (not cold agglutinin disease), CKD with no stage is N18.9, ESRD N18.6,
  // GERD NOS K21.9, HFrEF/HFpEF systolic/diastolic heart failure (Coding Clinic 1Q 2016), T2DM/T1DM E11.9/E10.9.
  ['CAD', ['I25.10']], ['CKD', ['N18.9']], ['ESRD', ['N18.6']], ['GERD', ['K21.9']], ['HFrEF', ['I50.20']],
  ['HFpEF', ['I50.30']], ['T2DM', ['E11.9']], ['T1DM', ['E10.9']], ['morbid obesity', ['E66.01']],
];

/** Clinical phrases that are also ordinary words or other senses in lower case ("cad"), matched in capitals only, as before. */
const capitalsOnly = new Set(['dka', 'stemi', 'nstemi', 'CAD', 'CKD']);

export function addClinicalPhrases(builder: ProblemLexiconBuilder): void {
  for (const [phrase, codes] of clinicalPhrases) builder.add(phrase, codes, 'synonym', 0.95, capitalsOnly.has(phrase));
}

interface Sense {
  abbreviation: string;
  sense: string;
  frequency: number;
}

function readAbbreviationSenses(): Sense[] {
  const senses: Sense[] = [];
  for (const file of ['vanderbilt_clinic_notes.txt', 'vanderbilt_discharge_sums.txt']) {
    for (const row of readTsv('lexicons', 'abbreviations-metainventory-sources', file)) {
      senses.push({ abbreviation: row.abbreviation!, sense: row.sense!, frequency: Number(row.frequency) });
    }
  }
  for (const line of readShared('lexicons', 'abbreviations-metainventory-sources', 'sense_distribution_448.txt').split(/\r?\n/)) {
    const [abbreviation, sense, proportion] = line.split('\t');
    if (abbreviation && sense) senses.push({ abbreviation, sense, frequency: proportion ? Number(proportion) : 1 });
  }
  for (const line of readShared('lexicons', 'abbreviations-metainventory-sources', 'obgyn.txt').split(/\r?\n/)) {
    const m = /^(\S+)\s+(.+?)\s*$/.exec(line);
    if (m) senses.push({ abbreviation: m[1]!, sense: m[2]!, frequency: 1 });
  }
  return senses.filter((s) => Number.isFinite(s.frequency));
}

/**
 * Abbreviations whose dominant sense (in at least one inventory) is a lexicon phrase. The sense's share of
 * uses becomes the match confidence; abbreviations that are ordinary words or mostly mean something else
 * in some inventory must be written in capitals to match ("PE" yes, "pe" no).
 */
export function addAbbreviations(builder: ProblemLexiconBuilder): void {
  const best = new Map<string, { sense: string; frequency: number }>();
  const senses = readAbbreviationSenses();
  const shareOfProblemSenses = new Map<string, number[]>();
  for (const s of senses) {
    const abbreviation = s.abbreviation.replace(/_/g, '/').toLowerCase();
    if (!/^[a-z][a-z0-9/]{1,6}$/.test(abbreviation)) continue;
    if (!builder.has(matchKey(s.sense))) continue;
    const list = shareOfProblemSenses.get(abbreviation) ?? [];
    list.push(s.frequency);
    shareOfProblemSenses.set(abbreviation, list);
    const current = best.get(abbreviation);
    if (!current || s.frequency > current.frequency) best.set(abbreviation, { sense: s.sense, frequency: s.frequency });
  }
  for (const [abbreviation, { sense, frequency }] of best) {
    if (frequency < 0.5) continue;
    const entry = builder.get(matchKey(sense))!;
    const shares = shareOfProblemSenses.get(abbreviation) ?? [frequency];
    const unambiguous = Math.min(...shares) >= 0.9;
    const caseSensitive = !unambiguous || builder.isCommonWord(abbreviation) || abbreviation.length <= 2;
    builder.add(abbreviation, entry.codes, 'abbreviation', Math.round(frequency * 100) / 100, caseSensitive);
    const display = builder.get(matchKey(abbreviation));
    if (display && display.source === 'abbreviation') display.display = `${abbreviation.toUpperCase()} (${entry.display})`;
  }
}
