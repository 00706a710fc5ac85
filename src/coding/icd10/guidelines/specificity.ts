/**
 * The most specific billable code a mention supports, as a coder reaches it through the Tabular: among the
 * billable codes of the categories the mention's term leads to (and codes whose title the mention's clause
 * states in full, such as "pneumonia due to Streptococcus pneumoniae" → J13), the one whose title or inclusion
 * term the clause covers best. A title word the note does not say counts against a code, so "CKD stage 3b"
 * reaches N18.32 and not N18.30, "type 2 diabetes" E11.9 and not E11.22, and an unspecified code loses to a
 * sibling whose distinguishing words are written. Words a coder assumes by convention when the note is silent
 * (the Index's defaults) are not held against a code: "primary" osteoarthritis, "essential" hypertension,
 * "closed" fracture, "initial encounter", "unilateral" when a side is named, and the limb when a side is named
 * and the code's category has codes of one limb only ("left carpal tunnel syndrome" → G56.02 "left upper limb").
 */
import type { CodeSet } from '../code-set.ts';
import { abbreviationWords, codingStems } from './coding-lexicon.ts';

const termsByCodeSet = new WeakMap<CodeSet, Map<string, Array<Set<string>>>>();

/** A title's words: nonessential modifiers (parentheses, brackets) dropped, and ", unspecified whether …" cut. */
function titleText(title: string): string {
  return title
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/,\s*unspecified\b.*$/i, ' ')
    // "without coma", "without macular edema": what is absent is not asked of the note; nor is "non-pressure" (L97).
    .replace(/\bwithout\b[^,]*/gi, ' ')
    .replace(/\bnon-pressure\b/gi, ' ')
    // "chronic or unspecified duodenal ulcer": the alternative to unspecified is optional.
    .replace(/\b[\w-]+ or unspecified\b/gi, ' ');
}

export function codeTerms(codeSet: CodeSet, code: string): Array<Set<string>> {
  let cache = termsByCodeSet.get(codeSet);
  if (!cache) {
    cache = new Map();
    termsByCodeSet.set(codeSet, cache);
  }
  let terms = cache.get(code);
  if (!terms) {
    const record = codeSet.record(code);
    terms = record ? [record.title, ...(record.inclusionTerms ?? [])].map((t) => codingStems(titleText(t))).filter((s) => s.size > 0) : [];
    cache.set(code, terms);
  }
  return terms;
}

const namingByCodeSet = new WeakMap<CodeSet, Map<string, string[]>>();

/**
 * Billable codes whose title or an inclusion term has a word: the Index's way in from a condition's main term,
 * so a clause that states a whole title outside the term's categories ("pneumococcal pneumonia" → J13) reaches it.
 */
export function codesNaming(codeSet: CodeSet, stem: string): ReadonlyArray<string> {
  let index = namingByCodeSet.get(codeSet);
  if (!index) {
    index = new Map();
    for (const record of codeSet.records) {
      if (!record.billable) continue;
      for (const term of codeTerms(codeSet, record.code)) {
        for (const w of term) {
          const list = index.get(w);
          if (!list) index.set(w, [record.code]);
          else if (list[list.length - 1] !== record.code) list.push(record.code);
        }
      }
    }
    namingByCodeSet.set(codeSet, index);
  }
  return index.get(stem) ?? [];
}

/** Words naming so many codes ("disease", "left") do not lead anywhere on their own. */
const maxCodesPerNamingWord = 400;

// "phase" names the dysphagia axis (R13.1-: "oropharyngeal dysphagia" is "dysphagia, oropharyngeal phase").
const conventionWords = codingStems('primary essential encounter uncomplicated complication classified elsewhere nos site stage mellitus phase');

/** The words a coder assumes when the note is silent, given what it does say. */
export function defaultWords(words: ReadonlySet<string>): Set<string> {
  const assumed = new Set(conventionWords);
  const has = (w: string) => [...codingStems(w)].every((s) => words.has(s));
  if (has('right') || has('left')) for (const s of codingStems('unilateral')) assumed.add(s);
  // An anterior or inferior MI is of that wall's coronary artery (I21.09, I21.19) unless the artery is named.
  if (has('infarction') && (has('anterior') || has('inferior'))) for (const s of codingStems('wall coronary artery involving')) assumed.add(s);
  // A humerus is the arm's bone: S42.3- titles end "humerus, right arm".
  if (has('humerus')) for (const s of codingStems('arm')) assumed.add(s);
  // Sites a category names together ("heel and midfoot", L97.4-): one of them written is the site.
  if (has('heel') || has('midfoot')) for (const s of codingStems('heel midfoot')) assumed.add(s);
  if (['hand', 'wrist', 'arm', 'forearm', 'elbow', 'finger', 'thumb', 'shoulder'].some(has)) for (const s of codingStems('upper limb')) assumed.add(s);
  if (['leg', 'foot', 'feet', 'ankle', 'knee', 'thigh', 'toe', 'hip', 'calf'].some(has)) for (const s of codingStems('lower limb')) assumed.add(s);
  if (!has('open')) for (const s of codingStems('closed')) assumed.add(s);
  // Routine healing is the default of a subsequent encounter only when no healing problem is written (malunion → P,
  // nonunion → K, delayed healing → G: the 7th characters of the fracture categories).
  const healingProblem = ['malunion', 'nonunion', 'delayed'].some(has);
  if (has('subsequent') || has('healing') || has('follow')) for (const s of codingStems(healingProblem ? 'subsequent' : 'subsequent routine healing')) assumed.add(s);
  else if (!has('sequela')) for (const s of codingStems('initial')) assumed.add(s);
  return assumed;
}

const limbByCodeSet = new WeakMap<CodeSet, Map<string, Set<string> | null>>();
const limbStems = { upper: codingStems('upper limb'), lower: codingStems('lower limb') };

/** The limb words a side-named mention implies for a code: those of the only limb its category's codes name. */
function impliedLimb(codeSet: CodeSet, code: string): ReadonlySet<string> | null {
  let cache = limbByCodeSet.get(codeSet);
  if (!cache) limbByCodeSet.set(codeSet, (cache = new Map()));
  const category = code.slice(0, 3);
  if (!cache.has(category)) {
    const titles = codeSet.billableDescendants(category).map((r) => r.title.toLowerCase());
    const upper = titles.some((t) => t.includes('upper limb'));
    const lower = titles.some((t) => t.includes('lower limb'));
    cache.set(category, upper !== lower ? (upper ? limbStems.upper : limbStems.lower) : null);
  }
  return cache.get(category)!;
}

export interface CodeFit {
  code: string;
  /** Title words the note states, minus those it does not. */
  fit: number;
  matched: number;
  missing: number;
  /** Whether a word of the mention itself (not only of its clause) is among the matched words. */
  namesMention: boolean;
  /** Reached outside the categories the mention's term leads to. */
  outside?: boolean;
}

/** Abbreviations the coding lexicon expands ("ESRD", "COPD"): their expansion's words stand for them in titles. */
const expandedAbbreviations = new Set(Object.keys(abbreviationWords).flatMap((a) => [...codingStems(a)].filter((s) => !codingStems(abbreviationWords[a]!).has(s))));

function namesAll(codeSet: CodeSet, code: string, own: ReadonlySet<string>): boolean {
  const words = [...own].filter((w) => !expandedAbbreviations.has(w));
  return codeTerms(codeSet, code).some((term) => words.every((w) => term.has(w)));
}

/**
 * Fracture patterns a title asserts ("Displaced transverse fracture of shaft of humerus"). Unwritten, one weighs as much
 * as a written default ("displaced" is what an unqualified fracture is coded to, I.C.19.c.1) plus a missing word, so
 * "displaced fracture of the shaft of the right humerus" reaches the unspecified pattern (S42.301A), not S42.321A.
 */
const fracturePatternWords = codingStems('transverse oblique spiral comminuted segmental greenstick torus buckle');

export function fitOf(codeSet: CodeSet, code: string, words: ReadonlySet<string>, assumed: ReadonlySet<string>, own: ReadonlySet<string>): CodeFit {
  let best: CodeFit = { code, fit: Number.NEGATIVE_INFINITY, matched: 0, missing: 0, namesMention: false };
  for (const term of codeTerms(codeSet, code)) {
    let matched = 0;
    let missing = 0;
    let unwrittenPatterns = 0;
    let namesMention = false;
    for (const w of term) {
      if (words.has(w)) {
        matched++;
        if (own.has(w)) namesMention = true;
      } else if (!assumed.has(w)) {
        missing++;
        if (fracturePatternWords.has(w)) unwrittenPatterns++;
      }
    }
    const fit = matched - missing - unwrittenPatterns;
    if (fit > best.fit) best = { code, fit, matched, missing, namesMention };
  }
  return best;
}

export interface ChoiceInput {
  /** Codes the mention's term leads to, most specific first: their categories are searched. */
  leads: ReadonlyArray<string>;
  /** Codes from elsewhere in the classification that may fit when the clause states their whole title. */
  others?: ReadonlyArray<string>;
  words: ReadonlySet<string>;
  ownWords: ReadonlySet<string>;
  /** Tie-break: the ranker's score of a code (higher first). */
  rank?: (code: string) => number;
}

/** The best-supported billable code, or undefined when no code's words name the mention. */
export function mostSpecificCode(codeSet: CodeSet, input: ChoiceInput): CodeFit | undefined {
  const assumed = defaultWords(input.words);
  const leadOrder = new Map<string, number>();
  input.leads.forEach((c, i) => leadOrder.set(codeSet.record(c)?.code ?? c, i));
  const pool = new Set<string>();
  for (const lead of input.leads) {
    // The Table of Drugs and Chemicals names the drug's subcategory ("oxycodone, poisoning, accidental" → T40.2X1), whose
    // title rarely names the drug ("other opioids"): only the 7th character is left to choose, never a sibling drug.
    const fromDrugTable = /^T(3[6-9]|[45]\d|6[0-5])\.\w{3}/.test(lead) && codeSet.record(lead) !== undefined;
    const searched = fromDrugTable ? codeSet.record(lead)!.code : codeSet.category(lead)?.code;
    if (searched) for (const r of codeSet.billableDescendants(searched)) pool.add(r.code);
  }
  const fits: CodeFit[] = [];
  const sided = [...codingStems('right left')].some((w) => input.words.has(w));
  const assumedFor = (code: string) => {
    const limb = sided ? impliedLimb(codeSet, code) : null;
    return limb ? new Set([...assumed, ...limb]) : assumed;
  };
  for (const code of pool) {
    const fit = fitOf(codeSet, code, input.words, assumedFor(code), input.ownWords);
    // More of the title stated than unstated: "AV fistula" does not reach "Fistula, unspecified joint".
    if (fit.namesMention && fit.fit > 0) fits.push(fit);
  }
  const others = new Set(input.others ?? []);
  for (const w of input.ownWords) {
    const naming = codesNaming(codeSet, w);
    if (naming.length <= maxCodesPerNamingWord) for (const code of naming) others.add(code);
  }
  for (const code of others) {
    // An "other specified" code is for a kind its title does not name ("Other specified diabetes mellitus"): it is not
    // reached from outside its term's categories by the words it shares with the common kind.
    if (pool.has(code) || !codeSet.record(code)?.billable || /^other specified\b/i.test(codeSet.record(code)!.title)) continue;
    const fit = fitOf(codeSet, code, input.words, assumed, input.ownWords);
    // A code outside the term's categories must be stated whole ("pneumonia due to Streptococcus pneumoniae") and
    // name every word of the mention, not only a modifier it shares with the clause.
    if (fit.namesMention && fit.missing === 0 && fit.matched >= 2 && namesAll(codeSet, code, input.ownWords)) fits.push({ ...fit, outside: true });
  }
  const rank = input.rank ?? (() => 0);
  const unspecified = (code: string) => (/unspecified/i.test(codeSet.record(code)!.title) ? 1 : 0);
  const residual = (code: string) => (/\bother\b/i.test(codeSet.record(code)!.title) ? 1 : 0);
  fits.sort(
    (a, b) =>
      b.fit - a.fit ||
      Number(Boolean(a.outside)) - Number(Boolean(b.outside)) ||
      (leadOrder.get(a.code) ?? 99) - (leadOrder.get(b.code) ?? 99) ||
      // A residual "other" code is for a kind the note names and no sibling does; with nothing more written, the
      // unspecified code is the one that says so ("Unspecified fracture of shaft", not "Other fracture of shaft").
      residual(a.code) - residual(b.code) ||
      unspecified(a.code) - unspecified(b.code) ||
      rank(b.code) - rank(a.code) ||
      a.code.length - b.code.length ||
      (a.code < b.code ? -1 : 1),
  );
  return fits[0];
}
