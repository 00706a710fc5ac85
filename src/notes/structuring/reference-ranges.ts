/**
 * Short names, human units, adult reference ranges and critical limits for the labs and vitals Clinote extracts,
 * and the interpretation of a value against them (normal, low, high, critical-low, critical-high).
 *
 * The table is project-authored from widely published adult figures; a hospital's own laboratory ranges take
 * precedence, and assay-dependent tests (lipase, CK, ferritin, hs-troponin in ng/L …) are left out on purpose.
 * Sources:
 * - Lab reference ranges: adult figures as published in the American Board of Internal Medicine's "ABIM
 *   Laboratory Test Reference Ranges" (January 2024) and MedlinePlus test pages, conventional US units, with
 *   sex-specific ranges merged into one adult span (hemoglobin 12.0–17.5 g/dL); lipid cut-offs from NCEP ATP III (2002); HbA1c from the American
 *   Diabetes Association Standards of Care (≥ 5.7 % above normal); troponin I upper limit 0.04 ng/mL, the 99th
 *   percentile of a conventional (not high-sensitivity) assay.
 * - Lab critical limits: conservative round figures within those surveyed by Kost G.J., "Critical limits for
 *   urgent clinician notification at US medical centers", JAMA 1990;263:704–7.
 * - Vitals: Royal College of Physicians, National Early Warning Score 2 (2017): the zero-score bands are the
 *   normal ranges and the three-point bands the critical ones (SpO2 scale 1), except the normal heart rate, the
 *   familiar 60–100/min (American Heart Association); blood pressure follows the 2017
 *   ACC/AHA guideline (high from 130/80, hypertensive crisis above 180/120); BMI the WHO classes.
 *
 * A value is interpreted only in the table's unit (or a unit equal to it, such as mEq/L for sodium). A value
 * written without a unit is read in the table's unit only when it is plausible in it: "creatinine 1.7" is
 * mg/dL, "creatinine 150" (µmol/L) is left uninterpreted rather than flagged critical by mistake.
 */
import type { Interpretation, ReferenceRange, VitalKind } from './schema.ts';

interface RangeRow {
  shortName: string;
  /** UCUM unit of the limits. */
  unit: string;
  /** Other written units that mean the same quantity. */
  sameUnits?: string[];
  low?: number;
  high?: number;
  criticalLow?: number;
  criticalHigh?: number;
  /** For a value written without a unit: the band in which it is read in `unit`. */
  plausible?: [number, number];
  /** How the range reads when it is a target or depends on the sample ("fasting"). */
  note?: string;
}

/** Labs by LOINC code (the codes the lab lexicon maps names to). */
const labRows: Record<string, RangeRow> = {
  '2160-0': { shortName: 'Creatinine', unit: 'mg/dL', low: 0.6, high: 1.3, plausible: [0.1, 25] },
  '3094-0': { shortName: 'BUN', unit: 'mg/dL', low: 8, high: 20, plausible: [1, 250] },
  '33914-3': { shortName: 'eGFR', unit: 'mL/min/{1.73_m2}', low: 60, plausible: [1, 200] },
  '2951-2': { shortName: 'Sodium', unit: 'mmol/L', sameUnits: ['meq/L'], low: 136, high: 145, criticalLow: 120, criticalHigh: 160, plausible: [90, 200] },
  '2823-3': { shortName: 'Potassium', unit: 'mmol/L', sameUnits: ['meq/L'], low: 3.5, high: 5.0, criticalLow: 2.8, criticalHigh: 6.2, plausible: [1, 10] },
  '2075-0': { shortName: 'Chloride', unit: 'mmol/L', sameUnits: ['meq/L'], low: 98, high: 106, plausible: [60, 150] },
  '2028-9': { shortName: 'Bicarbonate', unit: 'mmol/L', sameUnits: ['meq/L'], low: 23, high: 30, criticalLow: 10, criticalHigh: 40, plausible: [3, 60] },
  '17861-6': { shortName: 'Calcium', unit: 'mg/dL', low: 8.6, high: 10.2, criticalLow: 6.0, criticalHigh: 13.0, plausible: [3, 20] },
  '2601-3': { shortName: 'Magnesium', unit: 'mg/dL', low: 1.6, high: 2.6, criticalLow: 1.0, criticalHigh: 4.7, plausible: [1, 10] },
  '2777-1': { shortName: 'Phosphorus', unit: 'mg/dL', low: 3.0, high: 4.5, criticalLow: 1.0, plausible: [0.5, 20] },
  '2345-7': { shortName: 'Glucose', unit: 'mg/dL', low: 70, high: 99, criticalLow: 40, criticalHigh: 450, plausible: [10, 2000], note: 'fasting' },
  '4548-4': { shortName: 'HbA1c', unit: '%', high: 5.6, plausible: [3, 20] },
  '718-7': { shortName: 'Hemoglobin', unit: 'g/dL', low: 12.0, high: 17.5, criticalLow: 7.0, criticalHigh: 20.0, plausible: [2, 25] },
  '4544-3': { shortName: 'Hematocrit', unit: '%', low: 36, high: 52, criticalLow: 20, criticalHigh: 60, plausible: [8, 75] },
  '6690-2': { shortName: 'WBC', unit: '10*3/uL', sameUnits: ['10*9/L'], low: 4.0, high: 11.0, criticalLow: 2.0, criticalHigh: 30.0, plausible: [0.1, 500] },
  '777-3': { shortName: 'Platelets', unit: '10*3/uL', sameUnits: ['10*9/L'], low: 150, high: 450, criticalLow: 40, criticalHigh: 1000, plausible: [1, 3000] },
  '787-2': { shortName: 'MCV', unit: 'fL', low: 80, high: 100, plausible: [40, 150] },
  '788-0': { shortName: 'RDW', unit: '%', low: 11.5, high: 14.5, plausible: [8, 40] },
  '6301-6': { shortName: 'INR', unit: '{INR}', low: 0.8, high: 1.1, criticalHigh: 5.0, plausible: [0.5, 20], note: 'without anticoagulation' },
  '5902-2': { shortName: 'PT', unit: 's', low: 11, high: 13.5, plausible: [5, 150] },
  '3173-2': { shortName: 'aPTT', unit: 's', low: 25, high: 35, criticalHigh: 100, plausible: [10, 250] },
  '1742-6': { shortName: 'ALT', unit: 'U/L', sameUnits: ['[IU]/L'], low: 10, high: 40, plausible: [1, 20000] },
  '1920-8': { shortName: 'AST', unit: 'U/L', sameUnits: ['[IU]/L'], low: 10, high: 40, plausible: [1, 20000] },
  '6768-6': { shortName: 'Alk phos', unit: 'U/L', sameUnits: ['[IU]/L'], low: 30, high: 120, plausible: [5, 5000] },
  '1975-2': { shortName: 'Bilirubin', unit: 'mg/dL', low: 0.3, high: 1.2, criticalHigh: 15, plausible: [0.1, 60] },
  '1751-7': { shortName: 'Albumin', unit: 'g/dL', low: 3.5, high: 5.5, plausible: [0.5, 7] },
  '2093-3': { shortName: 'Cholesterol', unit: 'mg/dL', high: 199, plausible: [50, 1000], note: 'desirable' },
  '13457-7': { shortName: 'LDL', unit: 'mg/dL', high: 129, plausible: [10, 600], note: 'near optimal or below' },
  '2085-9': { shortName: 'HDL', unit: 'mg/dL', low: 40, plausible: [5, 200] },
  '2571-8': { shortName: 'Triglycerides', unit: 'mg/dL', high: 149, plausible: [10, 10000] },
  '11579-0': { shortName: 'TSH', unit: 'm[IU]/L', sameUnits: ['u[IU]/mL'], low: 0.5, high: 5.0, plausible: [0.005, 500] },
  '30934-4': { shortName: 'BNP', unit: 'pg/mL', high: 100, plausible: [1, 50000] },
  '10839-9': { shortName: 'Troponin I', unit: 'ng/mL', high: 0.04, plausible: [0, 1], note: 'conventional assay' },
  '4537-7': { shortName: 'ESR', unit: 'mm/h', high: 20, plausible: [0, 200] },
  '2857-1': { shortName: 'PSA', unit: 'ng/mL', high: 4.0, plausible: [0, 10000] },
  '2524-7': { shortName: 'Lactate', unit: 'mmol/L', low: 0.5, high: 2.2, criticalHigh: 4.0, plausible: [0.1, 30] },
  '62292-8': { shortName: 'Vitamin D', unit: 'ng/mL', low: 30, high: 100, plausible: [2, 300] },
  '2132-9': { shortName: 'Vitamin B12', unit: 'pg/mL', low: 200, high: 900, plausible: [20, 5000] },
};

/** Short names for labs the range table leaves out (assay- or sample-dependent). */
const labShortNames: Record<string, string> = {
  '3024-7': 'Free T4', '3084-1': 'Uric acid', '48065-7': 'D-dimer', '33762-6': 'NT-proBNP', '751-8': 'ANC',
  '31017-7': 'tTG-IgA', '6598-7': 'Troponin T', '2532-0': 'LDH', '2157-6': 'CK', '3040-3': 'Lipase', '2276-4': 'Ferritin',
  '1798-8': 'Amylase', '2143-6': 'Cortisol', '770-8': 'Neutrophils %', '731-0': 'Lymphocytes',
};

const vitalRows: Partial<Record<VitalKind, RangeRow & { diastolic?: { low?: number; high?: number; criticalHigh?: number } }>> = {
  heart_rate: { shortName: 'Heart rate', unit: '/min', low: 60, high: 100, criticalLow: 40, criticalHigh: 131 },
  respiratory_rate: { shortName: 'Resp. rate', unit: '/min', low: 12, high: 20, criticalLow: 8, criticalHigh: 25 },
  temperature: { shortName: 'Temperature', unit: 'Cel', low: 36.1, high: 38.0, criticalLow: 35.0 },
  oxygen_saturation: { shortName: 'SpO2', unit: '%', low: 96, criticalLow: 91 },
  blood_pressure: { shortName: 'Blood pressure', unit: 'mm[Hg]', low: 90, high: 129, criticalHigh: 181, diastolic: { low: 60, high: 79, criticalHigh: 121 } },
  bmi: { shortName: 'BMI', unit: 'kg/m2', low: 18.5, high: 24.9 },
};

const vitalShortNames: Record<VitalKind, string> = {
  blood_pressure: 'Blood pressure', heart_rate: 'Heart rate', respiratory_rate: 'Resp. rate', temperature: 'Temperature',
  oxygen_saturation: 'SpO2', weight: 'Weight', height: 'Height', bmi: 'BMI', pain_score: 'Pain score',
};

/** UCUM codes → how people write them. */
const humanUnits: Record<string, string> = {
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²', '10*3/uL': '×10³/µL', '10*9/L': '×10⁹/L', '10*6/uL': '×10⁶/µL', 'umol/L': 'µmol/L',
  'ug/dL': 'µg/dL', 'u[IU]/mL': 'µIU/mL', 'm[IU]/L': 'mIU/L', 'm[IU]/mL': 'mIU/mL', '[IU]/L': 'IU/L', 'meq/L': 'mEq/L',
  'mm[Hg]': 'mmHg', Cel: '°C', '[degF]': '°F', 'kg/m2': 'kg/m²', '{score}': '/10', '[lb_av]': 'lb', '[in_i]': 'in', '{INR}': '',
};

export function humanUnit(ucum: string): string {
  return humanUnits[ucum] ?? ucum;
}

/** "Troponin I.cardiac [Mass/volume] in Serum or Plasma" → "Troponin I" when the table has no short name. */
function componentName(display: string): string {
  const bracket = display.search(/\s*\[/);
  const component = (bracket >= 0 ? display.slice(0, bracket) : display.split(/ in | of | by /)[0]!).trim();
  const dotted = /^(.+)\.(\w+)$/.exec(component);
  if (!dotted) return component;
  return dotted[2] === 'total' ? `Total ${dotted[1]!.toLowerCase()}` : dotted[1]!;
}

export function labShortName(loinc: string, display: string): string {
  return labRows[loinc]?.shortName ?? labShortNames[loinc] ?? componentName(display);
}

export function vitalShortName(kind: VitalKind): string {
  return vitalShortNames[kind];
}

const format = (x: number) => String(x);

function rangeText(row: Pick<RangeRow, 'low' | 'high' | 'unit' | 'note'>): string {
  const unit = humanUnit(row.unit);
  const span = row.low !== undefined && row.high !== undefined ? `${format(row.low)}–${format(row.high)}` : row.low !== undefined ? `≥ ${format(row.low)}` : `≤ ${format(row.high!)}`;
  return [span, unit].filter(Boolean).join(' ') + (row.note ? ` (${row.note})` : '');
}

function classify(value: number, row: { low?: number; high?: number; criticalLow?: number; criticalHigh?: number }): Interpretation {
  if (row.criticalLow !== undefined && value <= row.criticalLow) return 'critical-low';
  if (row.criticalHigh !== undefined && value >= row.criticalHigh) return 'critical-high';
  if (row.low !== undefined && value < row.low) return 'low';
  if (row.high !== undefined && value > row.high) return 'high';
  return 'normal';
}

export interface Assessment {
  referenceRange: ReferenceRange;
  interpretation: Interpretation;
}

function assess(row: RangeRow, value: number, unit: string | null): Assessment | null {
  const sameUnit = unit === null ? row.plausible !== undefined && value >= row.plausible[0] && value <= row.plausible[1] : unit === row.unit || (row.sameUnits ?? []).includes(unit);
  if (!sameUnit) return null;
  const referenceRange: ReferenceRange = { ...(row.low !== undefined ? { low: row.low } : {}), ...(row.high !== undefined ? { high: row.high } : {}), unit: row.unit, text: rangeText(row) };
  return { referenceRange, interpretation: classify(value, row) };
}

/** The range and interpretation of a lab value, or null when the table has no row for it or the unit differs. */
export function assessLab(loinc: string, value: number | null, unit: string | null): Assessment | null {
  const row = labRows[loinc];
  return row && value !== null ? assess(row, value, unit) : null;
}

const severity: Record<Interpretation, number> = { normal: 0, low: 1, high: 1, 'critical-low': 2, 'critical-high': 2 };

/** A vital's range and interpretation; blood pressure takes the worse of systolic and diastolic. */
export function assessVital(kind: VitalKind, value: number, unit: string, diastolic?: number): Assessment | null {
  const row = vitalRows[kind];
  if (!row || unit !== row.unit) return null;
  const systolic = assess(row, value, unit);
  if (!systolic || !row.diastolic || diastolic === undefined) return systolic;
  const d = row.diastolic;
  const diastolicReading = classify(diastolic, d);
  return {
    referenceRange: { ...systolic.referenceRange, text: `${format(row.low!)}–${format(row.high!)} / ${format(d.low!)}–${format(d.high!)} mmHg` },
    interpretation: severity[diastolicReading] > severity[systolic.interpretation] ? diastolicReading : systolic.interpretation,
  };
}
