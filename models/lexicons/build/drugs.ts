/**
 * The drug lexicon: generic and brand names → RxNorm ingredient ids, from RxNorm Current Prescribable Content
 * (ingredients and brands), Drugs@FDA products (brand → active ingredients), MedlinePlus drug-index names and
 * the DrugBank open vocabulary (synonyms and INN variants, joined to RxNorm through UNII).
 */
import { matchKey } from '../../../src/text/tokens.ts';
import { readCsvObjects, readTsv, sharedPath } from './sources.ts';

export interface DrugEntry {
  key: string;
  /** The ingredient name(s) the phrase stands for, e.g. "furosemide" for "Lasix". */
  display: string;
  /** RxNorm ingredient (IN) ids; empty when the ingredient is not in the prescribable subset (e.g. the "A" drugs). */
  rxcuis: string[];
  kind: 'ingredient' | 'brand';
  /**
   * Weak names are also ordinary words or lab analytes ("iron", "potassium", "oxygen"): they count as
   * medications only next to a dose, route or frequency.
   */
  weak: boolean;
}

// Salt and ester words that separate a precise ingredient (PIN) from its base ingredient (IN).
const saltWords = new Set(
  (
    'hydrochloride hcl hydrobromide sodium potassium calcium magnesium sulfate sulphate tartrate succinate maleate ' +
    'mesylate besylate citrate acetate phosphate bromide chloride fumarate lactate gluconate carbonate bicarbonate ' +
    'nitrate oxalate pamoate propionate valerate dipropionate butyrate hyclate monohydrate dihydrate trihydrate ' +
    'anhydrous disodium dipotassium hemifumarate bitartrate tosylate napsylate embonate decanoate enanthate ' +
    'cypionate hexahydrate sesquihydrate xinafoate furoate aspartate meglumine tromethamine mononitrate dinitrate'
  ).split(' '),
);

function baseName(name: string): string {
  const words = name.toLowerCase().split(/\s+/);
  while (words.length > 1 && saltWords.has(words[words.length - 1]!)) words.pop();
  while (words.length > 1 && saltWords.has(words[0]!)) words.shift();
  return words.join(' ');
}

// Devices ("inhaler", "nebulizer", "spacer") are not drugs: "albuterol inhaler" is found through "albuterol".
const medicationClasses = [
  'insulin', 'antibiotics', 'antibiotic', 'steroids', 'steroid', 'statin', 'statins', 'nsaids', 'nsaid', 'opioids',
  'diuretic', 'diuretics', 'antihistamines', 'antihistamine', 'multivitamin', 'vitamins', 'prenatal vitamins',
  'prenatal vitamin', 'stool softener', 'birth control pills', 'oral contraceptives', 'chemotherapy', 'blood thinner',
  'blood thinners', 'pain medication', 'eye drops', 'nasal spray', 'antacids', 'beta blocker', 'ace inhibitor',
  'anticoagulation', 'normal saline', 'iv fluids',
];

/**
 * Vaccines as clinicians write them ("influenza vaccine administered", "Tdap given"): a vaccine given is a
 * medication, never the disease it is named after. Project list; RxNorm's vaccine names are too long to be written.
 */
const vaccines = [
  'influenza vaccine', 'flu vaccine', 'flu shot', 'tdap', 'tetanus vaccine', 'tetanus shot', 'tetanus booster',
  'pneumococcal vaccine', 'pneumonia vaccine', 'covid-19 vaccine', 'covid vaccine', 'covid-19 booster',
  'hepatitis b vaccine', 'hepatitis a vaccine', 'shingles vaccine', 'zoster vaccine', 'mmr vaccine', 'hpv vaccine',
  'rsv vaccine', 'meningococcal vaccine', 'varicella vaccine', 'polio vaccine', 'rabies vaccine',
];

function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s/-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

export class DrugLexiconBuilder {
  private readonly entries = new Map<string, DrugEntry>();
  /** Lowercase ingredient name (IN, PIN and salt-stripped PIN) → IN rxcui. */
  private readonly ingredientIds = new Map<string, string>();
  private readonly ingredientNameById = new Map<string, string>();

  constructor(
    private readonly commonWords: ReadonlySet<string>,
    private readonly labAnalytes: ReadonlySet<string>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  entriesList(): DrugEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * RxNorm multiple-ingredient concepts (MIN, "buprenorphine / naloxone" 352364) keyed by their ingredient ids,
   * sorted: a combination written as one product ("buprenorphine-naloxone", a combination brand) is coded by its
   * MIN. Only MINs whose every ingredient has an id here are kept (the extract lacks the "A" ingredients).
   */
  combinationsList(): Array<[string, string, string]> {
    const out: Array<[string, string, string]> = [];
    for (const row of readTsv('lexicons', 'rxnorm-prescribable-2025-10', 'rxnorm_ingredients.tsv')) {
      if (row.tty !== 'MIN') continue;
      const ids = row.name!.split(' / ').map((part) => this.ingredientId(part));
      if (ids.some((id) => id === undefined)) continue;
      out.push([[...new Set(ids as string[])].sort().join(' '), row.rxcui!, row.name!]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** RxNorm ingredient id for an ingredient name, tolerating salts ("metoprolol tartrate" → metoprolol). */
  ingredientId(name: string): string | undefined {
    const lower = name.toLowerCase().trim();
    return this.ingredientIds.get(lower) ?? this.ingredientIds.get(baseName(lower));
  }

  /** `weak` overrides the ordinary-word test for project phrases that are unambiguous ("flu shot"). */
  private add(name: string, display: string, rxcuis: string[], kind: DrugEntry['kind'], weak?: boolean): void {
    const clean = name.replace(/\s+/g, ' ').trim();
    // A final "A" names a vitamin or a hepatitis, not an article: "vitamin A" would otherwise key as "vitamin".
    if (/\s(?:a|an)$/i.test(clean)) return;
    const key = matchKey(clean);
    const tokens = key.split(' ');
    if (key.length < 3 || tokens.length > 5 || !/^[a-z]/.test(key)) return;
    const isCommon = tokens.every((t) => this.commonWords.has(t));
    // A brand that is an ordinary word ("Today", "Focus") would turn prose into medications.
    if (kind === 'brand' && isCommon) return;
    if (this.entries.has(key)) return;
    this.entries.set(key, { key, display, rxcuis: [...new Set(rxcuis)], kind, weak: weak ?? (isCommon || this.labAnalytes.has(key) || key.length <= 3) });
  }

  addRxNormIngredients(): void {
    const rows = readTsv('lexicons', 'rxnorm-prescribable-2025-10', 'rxnorm_ingredients.tsv');
    for (const row of rows) {
      if (row.tty === 'IN') {
        this.ingredientIds.set(row.name!.toLowerCase(), row.rxcui!);
        this.ingredientNameById.set(row.rxcui!, row.name!.toLowerCase());
      }
    }
    for (const row of rows) {
      if (row.tty !== 'PIN') continue;
      const base = this.ingredientIds.get(baseName(row.name!));
      this.ingredientIds.set(row.name!.toLowerCase(), base ?? row.rxcui!);
      if (!base) this.ingredientNameById.set(row.rxcui!, row.name!.toLowerCase());
    }
    for (const row of rows) {
      if (row.tty === 'MIN') continue;
      const id = this.ingredientId(row.name!)!;
      this.add(row.name!, this.ingredientNameById.get(id) ?? row.name!.toLowerCase(), [id], 'ingredient');
    }
  }

  addRxNormBrands(): void {
    const byBrand = new Map<string, string[]>();
    for (const row of readTsv('lexicons', 'rxnorm-prescribable-2025-10', 'rxnorm_ingredient_brands.tsv')) {
      const id = this.ingredientId(row.ingredient_name!) ?? row.ingredient_rxcui!;
      byBrand.set(row.brand_name!, [...(byBrand.get(row.brand_name!) ?? []), id]);
    }
    for (const [brand, ids] of byBrand) this.add(brand, this.displayFor(ids), ids, 'brand');
  }

  /**
   * Drugs@FDA: product names with their active ingredients ("LASIX" → FUROSEMIDE). Ingredients missing from
   * the RxNorm extract (it lacks most "A" drugs: acetaminophen, amlodipine, atorvastatin …) enter by name alone.
   */
  addDrugsAtFda(): void {
    const seen = new Set<string>();
    const rows = readTsv('lexicons', 'fda-drugsatfda', 'Products.txt');
    const generics = this.genericNames();
    for (const row of rows) {
      for (const ingredient of row.ActiveIngredient!.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
        const base = baseName(ingredient);
        if (this.ingredientId(base) || !/^[a-z][a-z -]+$/.test(base)) continue;
        // Stripping the salt can leave a fragment ("chromic chloride" → "chromic"): the base enters only when
        // another source names it as a drug on its own.
        this.add(ingredient, base, [], 'ingredient');
        if (generics.has(base)) this.add(base, base, [], 'ingredient');
      }
    }
    for (const row of rows) {
      const name = row.DrugName!.trim();
      if (seen.has(name) || /[;,]/.test(name) || /\d/.test(name)) continue;
      seen.add(name);
      const ingredients = row.ActiveIngredient!.split(';').map((s) => baseName(s.trim())).filter(Boolean);
      const ids = ingredients.map((i) => this.ingredientId(i)).filter((id): id is string => !!id);
      const display = ingredients.map((i) => this.ingredientNameById.get(this.ingredientId(i) ?? '') ?? i).join(' / ');
      const isGeneric = ingredients.length === 1 && ingredients[0] === baseName(name);
      this.add(titleCase(name), display, ids, isGeneric ? 'ingredient' : 'brand');
    }
  }

  /** Generic names other sources give on their own: MedlinePlus index names and DrugBank common names. */
  private genericNames(): Set<string> {
    const names = new Set<string>();
    const medline = sharedPath('lexicons', 'drug-brand-synonyms-fastdatascience', 'drugs_dictionary_medlineplus.csv');
    for (const row of readCsvObjects(medline)) names.add((row['Common name'] ?? '').toLowerCase().trim());
    const drugbank = sharedPath('lexicons', 'drugbank-open-vocabulary', 'drugbank_vocabulary.csv');
    for (const row of readCsvObjects(drugbank)) names.add((row['Common name'] ?? '').toLowerCase().trim());
    return names;
  }

  /** Medication classes written in place of a drug name ("on insulin", "started antibiotics") and vaccines. Project lists. */
  addMedicationClasses(): void {
    for (const name of medicationClasses) this.add(name, name, [], 'ingredient');
    for (const name of vaccines) this.add(name, name, [], 'ingredient', false);
  }

  /**
   * RxNorm ingredient ids from the Synthea allergy seeds, for drugs the prescribable extract lacks (it has no
   * "A" drugs; the seeds give aspirin, 1191). Run right after the RxNorm ingredients, so every later source
   * (brands, Drugs@FDA, MedlinePlus, DrugBank) links its names to the id.
   */
  addSyntheaRxNormIds(): void {
    for (const row of readTsv('lexicons', 'allergens-synthea', 'synthea_allergens_distinct.tsv')) {
      if (row.code_system !== 'RxNorm') continue;
      const ingredient = row.description!.toLowerCase();
      if (this.ingredientId(ingredient)) continue;
      this.ingredientIds.set(ingredient, row.code!);
      this.ingredientNameById.set(row.code!, ingredient);
      this.add(ingredient, ingredient, [row.code!], 'ingredient');
    }
  }

  /** MedlinePlus drug-index names: a generic name with its (mostly brand) synonyms. */
  addMedlinePlus(): void {
    const file = sharedPath('lexicons', 'drug-brand-synonyms-fastdatascience', 'drugs_dictionary_medlineplus.csv');
    for (const row of readCsvObjects(file)) {
      // MedlinePlus names a product by ingredient and route ("Aspirin Rectal"); the ingredient is the drug.
      const generic = (row['Common name'] ?? '').toLowerCase().replace(/(?:\s+(?:oral|rectal|topical|ophthalmic|otic|nasal|vaginal|transdermal|injection|inhalation))+$/, '');
      if (generic.includes(',') || generic.includes(' and ')) continue;
      const id = this.ingredientId(generic);
      const display = id ? this.displayFor([id]) : baseName(generic);
      const ids = id ? [id] : [];
      this.add(generic, display, ids, 'ingredient');
      for (const synonym of (row.Synonyms ?? '').split('|')) this.add(synonym, display, ids, 'brand');
    }
  }

  /** DrugBank open vocabulary synonyms (INN spellings such as "paracetamol"), joined to RxNorm by UNII. */
  addDrugBankSynonyms(): void {
    const idByUnii = new Map<string, string>();
    for (const row of readTsv('lexicons', 'rxnorm-prescribable-2025-10', 'rxnorm_ingredients.tsv')) {
      const id = this.ingredientId(row.name!);
      if (row.unii && id && row.tty !== 'MIN') idByUnii.set(row.unii, id);
    }
    const file = sharedPath('lexicons', 'drugbank-open-vocabulary', 'drugbank_vocabulary.csv');
    for (const row of readCsvObjects(file)) {
      const id = idByUnii.get(row.UNII ?? '');
      if (!id) continue;
      const names = [row['Common name'] ?? '', ...(row.Synonyms ?? '').split(' | ')];
      for (const name of names) {
        // Plain-word names only: chemical systematic names and code numbers never appear in notes.
        if (!/^[A-Za-z][A-Za-z -]{3,40}$/.test(name) || name.split(/\s+/).length > 3) continue;
        this.add(name, this.displayFor([id]), [id], 'ingredient');
      }
    }
  }

  private displayFor(ids: ReadonlyArray<string>): string {
    return [...new Set(ids)].map((id) => this.ingredientNameById.get(id) ?? id).join(' / ');
  }
}
