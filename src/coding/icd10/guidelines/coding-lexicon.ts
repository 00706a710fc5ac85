/**
 * The small, documented word tables guideline coding needs beyond the classification's own terms:
 * - word forms that notes and titles use for the same thing ("hypoxic" / "hypoxia", "HFrEF" / "systolic
 *   heart failure"), applied to both sides of every comparison;
 * - medication classes behind the long-term drug use codes (Z79.-), since the Tabular names classes
 *   ("anticoagulants", "oral hypoglycemic drugs") and notes name drugs;
 * - the tobacco and vaccine wording that leads to F17.2-/Z87.891 and Z23.
 * Everything else comes from the code set (titles, inclusion terms, index terms) and the structuring lexicons.
 */
import { isContentStem, tokenize } from '../text.ts';

/** Adjective and abbreviated forms mapped to the words code titles use (both sides go through `codingStems`). */
const wordForms: Readonly<Record<string, string>> = {
  hypoxic: 'hypoxia',
  hypoxemic: 'hypoxia',
  hypoxemia: 'hypoxia',
  hypercapnic: 'hypercapnia',
  hypercarbic: 'hypercapnia',
  hypercarbia: 'hypercapnia',
  hypertensive: 'hypertension',
  htn: 'hypertension',
  septic: 'sepsis',
  anemic: 'anemia',
  asthmatic: 'asthma',
  diabetic: 'diabetes',
  dm: 'diabetes',
  dm2: 'diabetes',
  t2dm: 'diabetes',
  t1dm: 'diabetes',
  iddm: 'diabetes',
  niddm: 'diabetes',
  exacerbated: 'exacerbation',
  exacerbations: 'exacerbation',
  flare: 'exacerbation',
  staphylococcal: 'staphylococcus',
  staph: 'staphylococcus',
  streptococcal: 'streptococcus',
  strep: 'streptococcus',
  coli: 'coli',
  ecoli: 'coli',
  vaccine: 'immunization',
  vaccines: 'immunization',
  vaccinations: 'immunization',
  immunizations: 'immunization',
  tdap: 'immunization',
  dtap: 'immunization',
  booster: 'immunization',
  both: 'bilateral',
  bleeding: 'hemorrhage',
  bleed: 'hemorrhage',
  hemorrhagic: 'hemorrhage',
  vaccination: 'immunization',
  vaccinated: 'immunization',
  toxoid: 'immunization',
  immunized: 'immunization',
  pseudomonal: 'pseudomonas',
  klebsiella: 'klebsiella',
  infarct: 'infarction',
  ischemic: 'ischemia',
  obstructive: 'obstructive',
  renal: 'kidney',
  nephropathy: 'nephropathy',
  neuropathic: 'neuropathy',
  fractured: 'fracture',
  fx: 'fracture',
  pregnant: 'pregnancy',
  gravid: 'pregnancy',
  smoker: 'nicotine',
  smoking: 'nicotine',
  smokes: 'nicotine',
  cigarette: 'cigarettes',
  cig: 'cigarettes',
  cigs: 'cigarettes',
  tobacco: 'nicotine',
  ppd: 'cigarettes',
  clostridioides: 'clostridium',
  ii: '2',
  iii: '3',
  iv: '4',
};

/** Abbreviations that stand for several title words; added to the words of a mention that contains them. */
export const abbreviationWords: Readonly<Record<string, string>> = {
  copd: 'chronic obstructive pulmonary disease',
  cancer: 'malignant neoplasm',
  cancers: 'malignant neoplasm',
  carcinoma: 'malignant neoplasm carcinoma',
  adenocarcinoma: 'malignant neoplasm adenocarcinoma',
  malignancy: 'malignant neoplasm',
  tumor: 'neoplasm',
  tumour: 'neoplasm',
  metastases: 'secondary malignant neoplasm',
  metastatic: 'secondary malignant neoplasm',
  mrsa: 'methicillin resistant staphylococcus aureus',
  pneumococcal: 'streptococcus pneumoniae',
  pneumococcus: 'streptococcus pneumoniae',
  mssa: 'methicillin susceptible staphylococcus aureus',
  aecopd: 'acute exacerbation chronic obstructive pulmonary disease',
  ckd: 'chronic kidney disease',
  esrd: 'end stage renal disease',
  eskd: 'end stage renal disease',
  aki: 'acute kidney failure',
  arf: 'acute kidney failure',
  chf: 'congestive heart failure',
  hf: 'heart failure',
  hfref: 'systolic heart failure',
  hfpef: 'diastolic heart failure',
  hfmref: 'systolic diastolic heart failure',
  cad: 'coronary artery atherosclerotic heart disease',
  mi: 'myocardial infarction',
  ami: 'acute myocardial infarction',
  stemi: 'st elevation myocardial infarction',
  nstemi: 'non st elevation myocardial infarction',
  afib: 'atrial fibrillation',
  af: 'atrial fibrillation',
  dvt: 'deep vein thrombosis embolism',
  pe: 'pulmonary embolism',
  uti: 'urinary tract infection',
  cap: 'pneumonia',
  gerd: 'gastro esophageal reflux disease',
  osa: 'obstructive sleep apnea',
  bph: 'benign prostatic hyperplasia',
  htn: 'hypertension',
  dm: 'diabetes mellitus',
  dm2: 'type 2 diabetes mellitus',
  t2dm: 'type 2 diabetes mellitus',
  t1dm: 'type 1 diabetes mellitus',
  dka: 'diabetes mellitus ketoacidosis',
  tia: 'transient cerebral ischemic attack',
  cva: 'cerebral infarction',
  ards: 'adult respiratory distress syndrome',
  ild: 'interstitial lung disease',
  pad: 'peripheral vascular disease',
  pvd: 'peripheral vascular disease',
  ra: 'rheumatoid arthritis',
  oa: 'osteoarthritis',
  hld: 'hyperlipidemia',
  mdd: 'major depressive disorder',
  gad: 'generalized anxiety disorder',
  sob: 'shortness breath',
  cabg: 'aortocoronary bypass graft',
  // Cigarettes are a nicotine product (Index: Dependence, nicotine, cigarettes; history of use Z87.891).
  cigarette: 'nicotine cigarettes',
  cigarettes: 'nicotine cigarettes',
  // Index: Stroke (ischemic) (thrombotic) (embolic) → I63.9, cerebral infarction; hemorrhagic strokes lead to I60–I62.
  stroke: 'cerebral infarction',
  strokes: 'cerebral infarction',
  lad: 'left anterior descending coronary artery',
  stent: 'stent implant',
  stents: 'stent implant',
  icd: 'automatic implantable cardiac defibrillator',
  ppm: 'cardiac pacemaker',
  tka: 'knee joint replacement',
  tha: 'hip joint replacement',
};

/**
 * Index entries whose code the structuring lexicon's term does not lead to, each with the words that reach it (the
 * main term and the subterm, as the Alphabetic Index lists them). More specific entries come first.
 */
export const indexEntries: ReadonlyArray<{ words: string; code: string; entry: string }> = [
  { words: 'pleuritic pain', code: 'R07.81', entry: 'Pain, pleuritic → R07.81' },
  { words: 'atypical chest pain', code: 'R07.89', entry: 'Pain, chest, atypical → R07.89' },
  { words: 'musculoskeletal chest pain', code: 'R07.89', entry: 'Pain, chest, musculoskeletal → R07.89' },
  { words: 'non-cardiac chest pain', code: 'R07.89', entry: 'Pain, chest, non-cardiac → R07.89' },
  { words: 'chest wall pain', code: 'R07.89', entry: 'Pain, chest, wall (anterior) → R07.89' },
  { words: 'recurrent difficile colitis', code: 'A04.71', entry: 'Colitis, Clostridium difficile, recurrent → A04.71' },
  { words: 'recurrent difficile enterocolitis', code: 'A04.71', entry: 'Enterocolitis, Clostridium difficile, recurrent → A04.71' },
  { words: 'recurrent difficile infection', code: 'A04.71', entry: 'Infection, Clostridium difficile, recurrent → A04.71' },
  { words: 'difficile colitis', code: 'A04.72', entry: 'Colitis, Clostridium difficile → A04.72' },
  { words: 'difficile enterocolitis', code: 'A04.72', entry: 'Enterocolitis, Clostridium difficile → A04.72' },
  { words: 'difficile diarrhea', code: 'A04.72', entry: 'Diarrhea, due to Clostridium difficile → A04.72' },
  { words: 'difficile infection', code: 'A04.72', entry: 'Infection, Clostridium difficile → A04.72' },
];

/** The matching key of a word for guideline coding: the shared stem, with the word forms above folded together. */
export function codingStem(folded: string, stemmed: string): string {
  const form = wordForms[folded] ?? wordForms[stemmed];
  return form ? tokenize(form)[0]!.stem : stemmed;
}

/** Content words, and numbers: "type 2", "stage 3" and "32 weeks" are told apart by their digits. */
function isCodingContent(stem: string): boolean {
  return isContentStem(stem) || /^\d+$/.test(stem);
}

/** Content stems of a text, word forms folded and abbreviations expanded into their title words. */
export function codingStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const token of tokenize(text.replace(/\([^)]*\)/g, ' '))) {
    const expansion = abbreviationWords[token.text];
    if (expansion) for (const t of tokenize(expansion)) if (isCodingContent(t.stem)) stems.add(codingStem(t.text, t.stem));
    const key = codingStem(token.text, token.stem);
    if (isCodingContent(key)) stems.add(key);
  }
  return stems;
}

/** Long-term (current) drug use codes and the ingredients that lead to them (Section I.C.21.c.3: Z79). */
export interface DrugClass {
  code: string;
  /** What the class is called in the Tabular title, used as the evidence's supporting words. */
  className: string;
  ingredients: ReadonlyArray<string>;
}

export const longTermDrugClasses: ReadonlyArray<DrugClass> = [
  { code: 'Z79.4', className: 'insulin', ingredients: ['insulin'] },
  {
    code: 'Z79.84',
    className: 'oral hypoglycemic drugs',
    ingredients: [
      'metformin', 'glipizide', 'glyburide', 'glimepiride', 'gliclazide', 'pioglitazone', 'rosiglitazone', 'sitagliptin',
      'saxagliptin', 'linagliptin', 'alogliptin', 'empagliflozin', 'dapagliflozin', 'canagliflozin', 'ertugliflozin',
      'repaglinide', 'nateglinide', 'acarbose', 'miglitol',
    ],
  },
  {
    code: 'Z79.01',
    className: 'anticoagulants',
    ingredients: ['warfarin', 'apixaban', 'rivaroxaban', 'dabigatran', 'edoxaban', 'enoxaparin', 'dalteparin', 'fondaparinux', 'heparin'],
  },
  { code: 'Z79.02', className: 'antithrombotics antiplatelets', ingredients: ['clopidogrel', 'prasugrel', 'ticagrelor', 'cilostazol', 'dipyridamole'] },
  { code: 'Z79.82', className: 'aspirin', ingredients: ['aspirin', 'acetylsalicylic'] },
  { code: 'Z79.52', className: 'systemic steroids', ingredients: ['prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone'] },
  { code: 'Z79.51', className: 'inhaled steroids', ingredients: ['fluticasone', 'budesonide', 'beclomethasone', 'mometasone', 'ciclesonide'] },
  {
    code: 'Z79.891',
    className: 'opiate analgesic',
    ingredients: ['oxycodone', 'hydrocodone', 'morphine', 'hydromorphone', 'fentanyl', 'methadone', 'tramadol', 'tapentadol', 'buprenorphine'],
  },
];

/** The drug class of a medication's ingredient text, or undefined. Insulin products name insulin in their ingredient. */
export function drugClassOf(ingredient: string): DrugClass | undefined {
  const words = ingredient.toLowerCase();
  return longTermDrugClasses.find((c) => c.ingredients.some((i) => new RegExp(`\\b${i}`).test(words)));
}

/**
 * Drug classes of the Table of Drugs and Chemicals with their adverse-effect code (5th or 6th character 5, without
 * the 7th), for "adverse effect of lisinopril", "steroid-induced …" (I.C.19.e.5.a). A drug not listed gives no code.
 */
export const adverseEffectClasses: ReadonlyArray<{ code: string; className: string; drugs: ReadonlyArray<string> }> = [
  { code: 'T45.515', className: 'anticoagulants', drugs: ['anticoagulant', 'warfarin', 'coumadin', 'apixaban', 'eliquis', 'rivaroxaban', 'xarelto', 'dabigatran', 'edoxaban', 'enoxaparin', 'lovenox', 'heparin'] },
  { code: 'T45.525', className: 'antithrombotic drugs', drugs: ['antiplatelet', 'clopidogrel', 'plavix', 'prasugrel', 'ticagrelor'] },
  { code: 'T46.4X5', className: 'angiotensin-converting-enzyme inhibitors', drugs: ['ace inhibitor', 'ace-inhibitor', 'acei', 'lisinopril', 'enalapril', 'ramipril', 'captopril', 'benazepril', 'quinapril', 'perindopril', 'fosinopril'] },
  { code: 'T38.3X5', className: 'insulin and oral hypoglycemic drugs', drugs: ['insulin', 'metformin', 'glipizide', 'glyburide', 'glimepiride', 'sulfonylurea'] },
  { code: 'T38.0X5', className: 'glucocorticoids', drugs: ['steroid', 'steroids', 'glucocorticoid', 'corticosteroid', 'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone'] },
  { code: 'T40.2X5', className: 'other opioids', drugs: ['opioid', 'opiate', 'oxycodone', 'hydrocodone', 'morphine', 'hydromorphone', 'codeine', 'tramadol'] },
  { code: 'T39.015', className: 'aspirin', drugs: ['aspirin'] },
  { code: 'T39.395', className: 'other nonsteroidal anti-inflammatory drugs', drugs: ['nsaid', 'nsaids', 'ibuprofen', 'naproxen', 'diclofenac', 'meloxicam', 'ketorolac', 'celecoxib'] },
  { code: 'T46.6X5', className: 'antihyperlipidemic drugs', drugs: ['statin', 'atorvastatin', 'simvastatin', 'rosuvastatin', 'pravastatin', 'lovastatin'] },
  { code: 'T36.0X5', className: 'penicillins', drugs: ['penicillin', 'amoxicillin', 'ampicillin', 'augmentin', 'amoxicillin-clavulanate', 'piperacillin'] },
  { code: 'T45.1X5', className: 'antineoplastic drugs', drugs: ['chemotherapy', 'chemo', 'antineoplastic', 'cisplatin', 'carboplatin', 'oxaliplatin', 'paclitaxel', 'docetaxel', 'doxorubicin', 'cyclophosphamide'] },
  { code: 'T44.7X5', className: 'beta-adrenoreceptor antagonists', drugs: ['beta blocker', 'beta-blocker', 'metoprolol', 'atenolol', 'carvedilol', 'propranolol', 'bisoprolol'] },
  { code: 'T46.1X5', className: 'calcium-channel blockers', drugs: ['calcium channel blocker', 'amlodipine', 'diltiazem', 'verapamil', 'nifedipine'] },
  { code: 'T50.1X5', className: 'loop diuretics', drugs: ['loop diuretic', 'furosemide', 'lasix', 'bumetanide', 'torsemide'] },
];
