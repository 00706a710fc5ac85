/**
 * Claim edits: the checks a claim scrubber runs on a final code set before it is billed, as pure functions over
 * the code set. Blocking edits stop the claim (no override); warnings stop it until a coder overrides them with
 * a reason. Every edit has a stable id (kind and codes) so an override names exactly what it accepts.
 */
import type { CodeSet } from './icd10/code-set.ts';
import { codeReferences, inRange } from './icd10/code-ranges.ts';
import { excludes1Flags, instructionFlags } from './icd10/flags.ts';
import { dottedCode } from './icd10/release.ts';
import { ageInDays, codeAgeLimit, codeSex, isMaternityCode, isPerinatalCode } from './demographics.ts';
import type { EncounterType } from './types.ts';

export type BlockingEditKind =
  | 'unknownCode'
  | 'duplicateCode'
  | 'notBillable'
  | 'missingSeventhCharacter'
  | 'excludes1'
  | 'overlap'
  | 'unspecifiedBesideSpecified'
  | 'sexMismatch'
  | 'ageMismatch'
  | 'maternalNewbornMix';
export type WarningEditKind = 'instructionUnmet' | 'instructionSequence' | 'symptomWithDiagnosis';

export interface ClaimEdit {
  /** Stable: the kind and the codes in code order (and, for instructions, which note), e.g. `overlap:I21.4+I21.9`. */
  id: string;
  severity: 'blocking' | 'warning';
  kind: BlockingEditKind | WarningEditKind;
  codes: string[];
  message: string;
}

export interface ClaimPatient {
  sex?: string | null | undefined;
  /** ISO date (YYYY-MM-DD). */
  birthDate?: string | null | undefined;
}

export interface ClaimEncounter {
  type?: EncounterType | undefined;
  /** When the encounter began (ages are computed on this day); today when absent. */
  start?: Date | undefined;
}

const normalise = (code: string) => dottedCode(code.trim().toUpperCase().replace(/\./g, ''));

/**
 * Codes of which a claim holds at most one: one CKD stage (N18), one acute MI type (I21) and one subsequent MI
 * (I22), one heart-failure type (I50.1–I50.4, I50.9: the combined systolic-diastolic codes exist, so two types
 * are one code), one hypertension combination (I10–I13: hypertensive heart and kidney disease include the
 * hypertension), one BMI (Z68), one gestational age (Z3A) and one severe sepsis
 * code (R65.2).
 */
const OVERLAP_GROUPS: ReadonlyArray<{ name: string; prefixes: readonly string[] }> = [
  { name: 'chronic kidney disease stage', prefixes: ['N18'] },
  { name: 'acute myocardial infarction type', prefixes: ['I21'] },
  { name: 'subsequent myocardial infarction type', prefixes: ['I22'] },
  { name: 'heart failure type', prefixes: ['I50.1', 'I50.2', 'I50.3', 'I50.4', 'I50.9'] },
  { name: 'hypertension (the combination codes include it)', prefixes: ['I10', 'I11', 'I12', 'I13'] },
  { name: 'body mass index', prefixes: ['Z68'] },
  { name: 'weeks of gestation', prefixes: ['Z3A'] },
  { name: 'severe sepsis', prefixes: ['R65.2'] },
];

/**
 * Symptom blocks of chapter 18 and the diagnoses that routinely explain them (Guideline I.B.5: signs and symptoms
 * integral to a confirmed diagnosis are not coded). A warning, because a symptom not routinely part of the
 * diagnosis may be coded; the coder decides and says why.
 */
const SYMPTOM_EXPLAINED_BY: ReadonlyArray<{ symptoms: string; explainedBy: readonly string[] }> = [
  { symptoms: 'R00-R09', explainedBy: ['I00-I99', 'J00-J99'] },
  { symptoms: 'R10-R19', explainedBy: ['K00-K95', 'A00-A09'] },
  { symptoms: 'R20-R23', explainedBy: ['L00-L99'] },
  { symptoms: 'R25-R29', explainedBy: ['G00-G99', 'M00-M99'] },
  { symptoms: 'R30-R39', explainedBy: ['N00-N39'] },
  { symptoms: 'R40-R46', explainedBy: ['F01-F99', 'G00-G99'] },
  { symptoms: 'R47-R49', explainedBy: ['G00-G99'] },
  { symptoms: 'R50', explainedBy: ['A00-B99', 'J00-J22', 'K35-K37', 'L03', 'N10', 'N30', 'N39.0'] },
  { symptoms: 'R51', explainedBy: ['G43-G44'] },
  { symptoms: 'R56', explainedBy: ['G40'] },
  { symptoms: 'R60', explainedBy: ['I50'] },
  { symptoms: 'R73', explainedBy: ['E08-E13'] },
  { symptoms: 'R80', explainedBy: ['N00-N08'] },
  { symptoms: 'R81', explainedBy: ['E08-E13'] },
];

/**
 * Instructions that apply only when something is present are reminders, not edits: those worded so ("if
 * applicable", "where applicable", "any associated …"), the Tabular's tobacco instruction (exposure, use,
 * history or dependence, Z77.22 / Z72.0 / F17.-), which applies only when tobacco is documented, and chapter 1's
 * drug-resistance instruction (Z16.-), which applies only when resistance is documented.
 */
const conditionalInstruction = /\b(if applicable|where applicable|if known|if present|if any|when (specified|known|present|applicable)|any)\b|\(Z77\.22\)|\(Z16\.-\)/i;

const isUnspecified = (title: string) => /\bunspecified\b/i.test(title);
const isWithoutComplications = (title: string) => /\bwithout complications?\b/i.test(title);

const ranges = (list: readonly string[]) => list.flatMap((r) => codeReferences(r));

/**
 * Runs every edit on a code set in claim order (the first code is principal / first-listed). Unknown codes get
 * one blocking edit and no further checks.
 */
export function validateClaim(rawCodes: readonly string[], patient: ClaimPatient, encounter: ClaimEncounter, codeSet: CodeSet): ClaimEdit[] {
  const edits: ClaimEdit[] = [];
  // Ids name the codes in code order, not claim order, so an override survives a reordering of the claim.
  const push = (severity: ClaimEdit['severity'], kind: ClaimEdit['kind'], codes: string[], message: string, extra = '') =>
    edits.push({ id: `${kind}:${[...codes].sort().join('+')}${extra}`, severity, kind, codes, message });

  const codes: string[] = [];
  for (const raw of rawCodes) {
    const code = normalise(raw);
    const record = codeSet.record(code);
    if (!record) {
      push('blocking', 'unknownCode', [code], `${code} is not an ICD-10-CM ${codeSet.version} code.`);
      continue;
    }
    if (codes.includes(record.code)) {
      push('blocking', 'duplicateCode', [record.code], `${record.code} appears more than once.`);
      continue;
    }
    codes.push(record.code);
    if (!record.billable) {
      const rule = codeSet.seventhCharacterRule(record.code);
      const bare = record.code.replace('.', '');
      if (rule && bare.length < 7) {
        const options = Object.entries(rule).map(([c, meaning]) => `${c} ${meaning}`).join('; ');
        const placeholder = bare.length < 6 ? ` (fill the empty positions with the placeholder X, e.g. ${dottedCode(bare.padEnd(6, 'X') + Object.keys(rule)[0])})` : '';
        push('blocking', 'missingSeventhCharacter', [record.code], `${record.code} needs a 7th character${placeholder}: ${options}.`);
      } else {
        const examples = codeSet.billableDescendants(record.code).slice(0, 5).map((c) => c.code).join(', ');
        push('blocking', 'notBillable', [record.code], `${record.code} ${record.title} is a header, not billable; choose a more specific code${examples ? ` (e.g. ${examples})` : ''}.`);
      }
    }
  }

  // Excludes1 pairs, once per pair.
  const pairs = new Set<string>();
  for (const [code, flags] of excludes1Flags(codeSet, codes)) {
    for (const flag of flags) {
      if (flag.kind !== 'excludes1Conflict') continue;
      const pair = [code, flag.otherCode].sort((a, b) => codes.indexOf(a) - codes.indexOf(b));
      const key = pair.join('+');
      if (pairs.has(key)) continue;
      pairs.add(key);
      push('blocking', 'excludes1', pair, `Excludes1: ${pair[0]} and ${pair[1]} are not coded together ("${flag.note}", under ${flag.noteFrom}).`);
    }
  }

  // Overlapping codes of one group, then an unspecified code beside a specified sibling.
  const reported = new Set(pairs);
  for (let i = 0; i < codes.length; i++) {
    for (let j = i + 1; j < codes.length; j++) {
      const a = codes[i]!;
      const b = codes[j]!;
      const key = `${a}+${b}`;
      if (reported.has(key)) continue;
      const group = OVERLAP_GROUPS.find((g) => g.prefixes.some((p) => a.startsWith(p)) && g.prefixes.some((p) => b.startsWith(p)));
      if (group) {
        reported.add(key);
        push('blocking', 'overlap', [a, b], `${a} and ${b} overlap: a claim carries one ${group.name} code; keep the one the documentation supports.`);
        continue;
      }
      const lessSpecific = lessSpecificOf(codeSet, a, b);
      if (lessSpecific) {
        reported.add(key);
        const [general, specific] = lessSpecific;
        const generalTitle = codeSet.record(general)!.title;
        push('blocking', 'unspecifiedBesideSpecified', [a, b], `${general} (${generalTitle}) is not coded beside its more specific sibling ${specific}; remove ${general}.`);
      }
    }
  }

  // Sex and age.
  const sex = patient.sex === 'female' || patient.sex === 'male' ? patient.sex : undefined;
  const age = patient.birthDate ? ageInDays(patient.birthDate, encounter.start ?? new Date()) : undefined;
  for (const code of codes) {
    const limitedTo = codeSex(codeSet, code);
    if (sex && limitedTo && limitedTo !== sex) push('blocking', 'sexMismatch', [code], `${code} ${codeSet.record(code)!.title} is for ${limitedTo} patients; this patient is ${sex}.`);
    const limit = codeAgeLimit(code);
    if (limit && age !== undefined && (age < limit.minDays || age > limit.maxDays)) {
      push('blocking', 'ageMismatch', [code], `${code} is ${limit.describe}; this patient is ${age < 365 ? `${age} days` : `${Math.floor(age / 365.25)} years`} old.`);
    }
  }
  const maternal = codes.find(isMaternityCode);
  const perinatal = codes.find(isPerinatalCode);
  if (maternal && perinatal) {
    push('blocking', 'maternalNewbornMix', [maternal, perinatal], `${maternal} is for maternal records only and ${perinatal} for newborn records only (Tabular notes of chapters 15 and 16): they are never on one claim.`);
  }

  // Code-first and use-additional-code instructions left unmet, or met in the wrong order.
  for (const code of codes) {
    for (const flag of instructionFlags(codeSet, code, codes)) {
      if (flag.kind !== 'codeFirst' && flag.kind !== 'useAdditionalCode') continue;
      if (codeReferences(flag.note).length === 0) continue;
      const label = flag.kind === 'codeFirst' ? 'Code first' : 'Use additional code';
      const noteId = `@${flag.noteFrom}`;
      if (flag.satisfiedBy.length === 0) {
        if (conditionalInstruction.test(flag.note)) continue;
        push('warning', 'instructionUnmet', [code], `${code}: "${label}: ${flag.note}" (${flag.noteFrom}) is not met by any code on the claim.`, noteId);
      } else if (flag.kind === 'codeFirst' && flag.satisfiedBy.every((other) => codes.indexOf(other) > codes.indexOf(code))) {
        push('warning', 'instructionSequence', [code, ...flag.satisfiedBy], `${code} says "code first ${flag.note}": sequence ${flag.satisfiedBy.join(', ')} before ${code}.`, noteId);
      }
    }
  }

  // A symptom beside a confirmed diagnosis that routinely explains it.
  // Organism codes (B95–B97) only add the cause of a condition classified elsewhere: they explain no symptom.
  const diagnoses = codes.filter((c) => !/^[RVWXYZ]/.test(c) && !/^B9[5-7]/.test(c));
  for (const symptom of codes.filter((c) => c.startsWith('R'))) {
    const rule = SYMPTOM_EXPLAINED_BY.find((r) => ranges([r.symptoms]).some((range) => inRange(symptom, range)));
    if (!rule) continue;
    const explaining = diagnoses.filter((d) => ranges(rule.explainedBy).some((range) => inRange(d, range)) && !asksForCode(codeSet, d, symptom));
    if (explaining.length === 0) continue;
    push(
      'warning',
      'symptomWithDiagnosis',
      [symptom, ...explaining],
      `${symptom} ${codeSet.record(symptom)!.title} may be integral to ${explaining.join(', ')} (Guideline I.B.5): code the symptom only when it is not routinely part of the diagnosis.`,
    );
  }
  return edits;
}

/** Whether a diagnosis's own use-additional-code or code-also notes ask for the symptom (BPH with LUTS asks for R39.1-). */
function asksForCode(codeSet: CodeSet, diagnosis: string, symptom: string): boolean {
  return codeSet.notes(diagnosis, ['useAdditionalCode', 'codeAlso']).some((n) => codeReferences(n.text).some((r) => inRange(symptom, r)));
}

/**
 * When one of two codes of a category is an unspecified (or "without complications") code at or above the
 * other's level, returns [less specific, more specific]: I21.9 beside I21.4, N18.9 beside N18.4, E11.9 beside
 * E11.22. Codes of different parents further down (two fractures of different sites) are not siblings.
 */
function lessSpecificOf(codeSet: CodeSet, a: string, b: string): [string, string] | undefined {
  if (a.slice(0, 3) !== b.slice(0, 3)) return undefined;
  const check = (general: string, specific: string): boolean => {
    const g = codeSet.record(general)!;
    const s = codeSet.record(specific)!;
    if (!(isUnspecified(g.title) || isWithoutComplications(g.title)) || isUnspecified(s.title) || isWithoutComplications(s.title)) return false;
    if (!g.parent) return false;
    return codeSet.ancestors(specific).some((r) => r.code === g.parent);
  };
  if (check(a, b)) return [a, b];
  if (check(b, a)) return [b, a];
  return undefined;
}

export const blockingEdits = (edits: readonly ClaimEdit[]) => edits.filter((e) => e.severity === 'blocking');
export const warningEdits = (edits: readonly ClaimEdit[]) => edits.filter((e) => e.severity === 'warning');
