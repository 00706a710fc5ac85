/**
 * The lab lexicon: test names and abbreviations → LOINC, from the LOINC Top 2000+ Common Lab Results (US),
 * keeping for each name the most frequently ordered code (lowest rank).
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { parseCsv, readShared } from './sources.ts';

export interface LabEntry {
  key: string;
  loinc: string;
  /** The LOINC long common name of the chosen code. */
  display: string;
  /** Short abbreviations that are also ordinary words or symbols ("K", "Ca") must be written as abbreviations. */
  caseSensitive: boolean;
  /** A drug level (LOINC class DRUG/TOX): the name is first of all a medication. */
  drugLevel: boolean;
}

/**
 * Everyday names and abbreviations clinicians write for common tests, each pointing at a component name in the
 * LOINC list. Project-authored: the LOINC short names are too terse ("Creat", "Hgb") to cover how notes read.
 */
const clinicalNames: Record<string, string[]> = {
  'hemoglobin a1c/hemoglobin.total': ['a1c', 'hba1c', 'hgb a1c', 'hemoglobin a1c', 'glycated hemoglobin', 'glycosylated hemoglobin'],
  hemoglobin: ['hgb', 'hb', 'hemoglobin'],
  hematocrit: ['hct', 'hematocrit'],
  leukocytes: ['wbc', 'white blood cell count', 'white blood cells', 'white count', 'white cell count', 'wbc count'],
  platelets: ['plt', 'platelet count', 'platelets'],
  creatinine: ['cr', 'creat', 'creatinine'],
  'urea nitrogen': ['bun', 'blood urea nitrogen'],
  sodium: ['na', 'sodium'],
  potassium: ['k', 'potassium'],
  chloride: ['cl', 'chloride'],
  'carbon dioxide, total': ['co2', 'bicarb', 'bicarbonate', 'total co2'],
  calcium: ['ca', 'calcium'],
  glucose: ['glucose', 'blood sugar', 'blood glucose', 'fasting glucose'],
  'cholesterol in ldl': ['ldl', 'ldl cholesterol', 'ldl-c'],
  'cholesterol in hdl': ['hdl', 'hdl cholesterol', 'hdl-c'],
  cholesterol: ['total cholesterol', 'cholesterol'],
  triglyceride: ['triglycerides', 'tg'],
  thyrotropin: ['tsh', 'thyroid stimulating hormone'],
  inr: ['inr'],
  'alanine aminotransferase': ['alt', 'sgpt'],
  'aspartate aminotransferase': ['ast', 'sgot'],
  'alkaline phosphatase': ['alk phos', 'alp', 'alkaline phosphatase'],
  'bilirubin.total': ['total bilirubin', 't bili', 'bilirubin', 'total serum bilirubin', 'serum bilirubin'],
  'natriuretic peptide b': ['bnp', 'b-type natriuretic peptide', 'brain natriuretic peptide'],
  'troponin i.cardiac': ['troponin', 'troponin i', 'trop'],
  'glomerular filtration rate/1.73 sq m.predicted': ['gfr', 'egfr', 'glomerular filtration rate'],
  'erythrocyte sedimentation rate': ['esr', 'sed rate'],
  'c reactive protein': ['crp', 'c-reactive protein'],
  'prostate specific ag': ['psa', 'prostate specific antigen'],
  'erythrocyte mean corpuscular volume': ['mcv'],
  'erythrocyte distribution width': ['rdw'],
  albumin: ['albumin'],
  magnesium: ['magnesium'],
  phosphate: ['phosphorus', 'phosphate'],
  lipase: ['lipase'],
  ferritin: ['ferritin'],
  'prothrombin time (pt)': ['pt', 'prothrombin time'],
  'activated partial thromboplastin time (aptt)': ['ptt', 'aptt'],
  lactate: ['lactate', 'lactic acid'],
  'cobalamin (vitamin b12)': ['b12', 'vitamin b12'],
  '25-hydroxyvitamin d2+25-hydroxyvitamin d3': ['vitamin d', '25-hydroxy vitamin d'],
  'thyroxine (t4) free': ['free t4', 'ft4', 'free thyroxine'],
  urate: ['uric acid', 'urate'],
  'fibrin d-dimer feu': ['d-dimer', 'd dimer', 'ddimer'],
  'natriuretic peptide.b prohormone': ['nt-probnp', 'probnp', 'nt pro bnp'],
  neutrophils: ['anc', 'absolute neutrophil count'],
  'tissue transglutaminase iga ab': ['ttg-iga', 'ttg iga', 'tissue transglutaminase iga'],
  'troponin t.cardiac': ['troponin t'],
  'lactate dehydrogenase': ['ldh'],
  'creatine kinase': ['ck', 'cpk', 'creatine kinase'],
  'hepatitis c virus ab': ['hcv antibody', 'hcv ab', 'hepatitis c antibody'],
  'hepatitis c virus rna': ['hcv rna', 'hcv viral load'],
  'hepatitis b virus dna': ['hbv dna', 'hbv viral load'],
  'hiv 1 rna': ['hiv viral load', 'hiv rna'],
  'cd3+cd4+ (t4 helper) cells': ['cd4', 'cd4 count'],
  'reagin ab': ['rpr'],
  'parathyrin.intact': ['pth', 'parathyroid hormone'],
  'alpha-1-fetoprotein': ['afp', 'alpha-fetoprotein'],
  'cyclic citrullinated peptide ab': ['anti-ccp', 'ccp antibody'],
  ketones: ['urine ketones'],
  nitrite: ['urine nitrite'],
};

/** "Bilirubin.total [Mass/volume] in Serum or Plasma" → "bilirubin.total". */
function componentOf(longName: string): string {
  const bracket = longName.search(/\s*\[/);
  const component = bracket >= 0 ? longName.slice(0, bracket) : longName.split(/ in | of | by /)[0]!;
  return component.trim().toLowerCase();
}

/** Everyday spellings of a LOINC component: "bilirubin.total" → "total bilirubin", "bilirubin". */
function componentNames(component: string): string[] {
  const names = new Set<string>();
  const [numerator, denominator] = component.split('/');
  // "Hemoglobin A1c/Hemoglobin.total" is a fraction; clinicians name it by its numerator.
  const base = denominator && /\.total$|100 leukocytes/.test(denominator) ? numerator! : component;
  const dotted = /^(.+)\.(\w+)$/.exec(base);
  if (dotted) {
    names.add(dotted[1]!);
    if (dotted[2] === 'total') names.add(`total ${dotted[1]}`);
  } else names.add(base);
  return [...names].filter((n) => n.length > 2 && !n.includes('/'));
}

export function buildLabLexicon(commonWords: ReadonlySet<string>): LabEntry[] {
  const rows = parseCsv(readShared('lexicons', 'loinc-top2000', 'LOINC_1.6_Top2000CommonLabResultsUS.csv')).slice(1);
  const byComponent = new Map<string, { loinc: string; display: string; rank: number }>();
  const entries = new Map<string, LabEntry>();
  const add = (name: string, loinc: string, display: string, drugLevel = false) => {
    const key = matchKey(name);
    if (!key || entries.has(key)) return;
    const caseSensitive = key.length <= 3 && (commonWords.has(key) || key.length <= 2);
    entries.set(key, { key, loinc, display, caseSensitive, drugLevel });
  };
  const ordered = rows
    .map(([loinc, longName, , cls, rank]) => ({ loinc: loinc!, longName: longName!.trim(), cls: cls!, rank: Number(rank) }))
    .filter((r) => /^\d+-\d$/.test(r.loinc) && Number.isFinite(r.rank))
    .sort((a, b) => a.rank - b.rank);
  for (const row of ordered) {
    const component = componentOf(row.longName);
    if (!byComponent.has(component)) byComponent.set(component, { loinc: row.loinc, display: row.longName, rank: row.rank });
  }
  for (const [component, names] of Object.entries(clinicalNames)) {
    const target = byComponent.get(component);
    if (!target) throw new Error(`LOINC component not found for clinical lab names: ${component}`);
    for (const name of names) add(name, target.loinc, target.display);
  }
  // Then every component of the list by its own name, only where it reads like something written in a note.
  for (const row of ordered) {
    if (!/^(Chem|HEM\/BC|COAG|UA|SERO|DRUG\/TOX)$/.test(row.cls)) continue;
    for (const name of componentNames(componentOf(row.longName))) {
      if (name.split(/\s+/).length <= 4) add(name, row.loinc, row.longName, row.cls === 'DRUG/TOX');
    }
  }
  return [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
