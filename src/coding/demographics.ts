/**
 * Which codes fit which patients: the sex and age edits of a claim. The table is derived from the code set
 * itself wherever the Tabular says so, and documented here where it does not:
 *
 * - **Female only**: chapter 15 (pregnancy, childbirth and the puerperium, O00–O9A) and the pregnancy encounters
 *   Z33–Z37, Z39 and weeks of gestation Z3A; Tabular blocks whose title names female genital or pelvic organs
 *   (C51–C58, N70–N77, N80–N98); and, in the neoplasm (2), genitourinary (14), congenital (17) and injury (19)
 *   chapters, codes whose own title names a female organ (uterus, ovary, vagina, vulva, cervix uteri, fallopian
 *   tube, endometrium).
 * - **Male only**: blocks whose title names male genital organs (C60–C63, N40–N53), and, in the same four
 *   chapters, codes whose title names a male organ (prostate, testis, scrotum, penis, epididymis, seminal
 *   vesicle, spermatic cord, vas deferens).
 *   Family-history codes (Z80–Z84) name a relative's organ and are never sex edits.
 * - **Maternity ages**: chapter 15 and the pregnancy Z codes above fit patients aged 9 to 64 years, the range
 *   of the CMS Medicare Code Editor's maternity edit.
 * - **Newborn records**: Z38 (liveborn infant by place of birth) belongs on the birth record only (age 0
 *   days); Z05 (observation of a newborn) in the first 28 days. Perinatal codes (chapter 16) are not age-edited:
 *   Guideline I.C.16.a.4 keeps them for life while the condition lasts; instead, the Tabular's chapter notes say
 *   chapter 16 is never used on maternal records and chapter 15 never on newborn records, so a claim with both
 *   is an edit.
 */
import type { CodeSet } from './icd10/code-set.ts';

export type Sex = 'female' | 'male';

const femaleOrgans = /\b(uter(us|ine|i)|ovar(y|ies|ian)|vagin(a|al)|vulv(a|ar)|cervix uteri|fallopian|endometri\w*)\b/i;
const maleOrgans = /\b(prostat(e|ic)|test(is|es|icle|icular)|scrot(um|al)|penis|penile|epididym\w*|seminal vesicles?|spermatic cord|vas deferens)\b/i;
const organTitleChapters = new Set([2, 14, 17, 19]);

const pregnancyZ = /^Z(3[3-7]|39|3A)/;

export function isMaternityCode(code: string): boolean {
  return code.startsWith('O') || pregnancyZ.test(code);
}

export function isPerinatalCode(code: string): boolean {
  return code.startsWith('P');
}

/** The sex a code is limited to, if any. */
export function codeSex(codeSet: CodeSet, code: string): Sex | undefined {
  if (isMaternityCode(code)) return 'female';
  if (/^Z8[0-4]/.test(code)) return undefined;
  const blockTitle = codeSet.block(code)?.title ?? '';
  if (/\bfemale (genital|pelvic)/i.test(blockTitle)) return 'female';
  if (/\bmale genital/i.test(blockTitle) && !/\bfemale\b/i.test(blockTitle)) return 'male';
  const chapter = codeSet.chapter(code)?.number;
  if (chapter === undefined || !organTitleChapters.has(chapter)) return undefined;
  const title = codeSet.record(code)?.title ?? '';
  const female = femaleOrgans.test(title);
  const male = maleOrgans.test(title);
  if (female && !male) return 'female';
  if (male && !female) return 'male';
  return undefined;
}

export interface AgeLimit {
  /** Inclusive bounds in days of age. */
  minDays: number;
  maxDays: number;
  describe: string;
}

const DAYS_PER_YEAR = 365.25;

/** The age range a code fits, if it has one. */
export function codeAgeLimit(code: string): AgeLimit | undefined {
  if (isMaternityCode(code)) return { minDays: Math.ceil(9 * DAYS_PER_YEAR), maxDays: Math.floor(65 * DAYS_PER_YEAR) - 1, describe: 'a maternity code, for patients aged 9 to 64 years' };
  if (code.startsWith('Z38')) return { minDays: 0, maxDays: 0, describe: 'a birth-record code, for the newborn on the day of birth' };
  if (code.startsWith('Z05')) return { minDays: 0, maxDays: 27, describe: 'a newborn code, for the first 28 days of life' };
  return undefined;
}

/** Whole days from birth to the encounter (UTC dates). */
export function ageInDays(birthDate: string, on: Date): number {
  const birth = Date.parse(`${birthDate.slice(0, 10)}T00:00:00Z`);
  const day = Date.UTC(on.getUTCFullYear(), on.getUTCMonth(), on.getUTCDate());
  return Math.floor((day - birth) / 86_400_000);
}
