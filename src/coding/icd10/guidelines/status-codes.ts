/**
 * Status codes a coder adds from the whole note (ICD-10-CM Official Guidelines I.C.21.c.3 and I.C.5.b):
 * long-term (current) drug use from the medication list (Z79.-), tobacco dependence or its history
 * (F17.2-, Z87.891), device, transplant and dependence status (Z95, Z96, Z94, Z99, Z93), weeks of gestation
 * (Z3A) and an immunization given (Z23). Each comes with the words that support it.
 */
import type { StructuredNote } from '../note-context.ts';
import { drugClassOf } from './coding-lexicon.ts';

export interface StatusFinding {
  code: string;
  start: number;
  end: number;
  rule: string;
}

export interface SpanContext {
  negated?: boolean;
  uncertain?: boolean;
  hypothetical?: boolean;
  family?: boolean;
}

/** Statuses that keep a drug on the patient's list: a drug stopped, completed or given once is not long-term use. */
const currentStatuses = new Set(['active', 'started', 'continued', 'changed', 'held', 'unknown']);
const singleDose = /\b(given|administered|x ?1|once|stat|loading dose|in the (ED|emergency)|received)\b/i;
/** A drug taken in overdose, by mistake or as a poisoning is not long-term use. */
const misuse = /\b(overdose\w*|poisoning|took (extra|too many|more)|by mistake|accidental\w*|ingest\w*)\b/i;
/** Wording that a drug was begun at this encounter ("started apixaban", "added ticagrelor"). */
const startedHere = /\b(start(ed|ing)?|add(ed)?|initiat\w*|newly)\s+(on\s+)?([\w-]+\s+){0,3}$/i;
/** A course with an end ("x 5 days", "taper", "burst") is not long-term use. */
const shortCourse = /\b(x|for)\s*\d+\s*(days?|d)\b|\b\d+[- ]day (course|burst|taper)\b|\b(taper|burst|course)\b/i;

export function longTermDrugUse(text: string, structured: StructuredNote, acuteCare: boolean): StatusFinding[] {
  const found: StatusFinding[] = [];
  for (const m of structured.medications) {
    if (!currentStatuses.has(m.status) || m.context.negated || m.context.hypothetical || m.context.family) continue;
    const drugClass = drugClassOf(`${m.ingredient} ${m.name}`);
    if (!drugClass) continue;
    const lineStart = text.lastIndexOf('\n', m.start) + 1;
    const lineEnd = text.indexOf('\n', m.end);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const sentence = line.slice(0, m.start - lineStart).split(/[.;]\s/).pop()! + line.slice(m.start - lineStart).split(/[.;]\s/)[0]!;
    if (singleDose.test(sentence) || m.duration || shortCourse.test(sentence) || misuse.test(sentence)) continue;
    // A drug started during this stay or visit in acute care is this encounter's treatment, not yet long-term use.
    const before = line.slice(0, m.start - lineStart).split(/[.;]\s/).pop()!;
    if (acuteCare && startedHere.test(before) && !/\b(ago|since|home|prior to admission)\b/i.test(sentence)) continue;
    // A drug the hospital or ED gave for this stay ("treated with prednisone") is treatment, not the patient's long-term use.
    if (acuteCare && /\b(treated with|treatment|received|IV|intravenous|infusion|inpatient|improv\w*\b[^.;]{0,20}\b(after|with)|nebuli[sz]ed)\b/i.test(sentence) && !/\b(home|discharged on|continue|chronic|long[- ]term)\b/i.test(sentence)) continue;
    const route = `${m.route?.display ?? ''} ${m.form?.text ?? ''} ${text.slice(m.end, m.end + 40)}`;
    // Steroids: inhaled ones are Z79.51, systemic (oral, injected) Z79.52; nasal and topical ones neither.
    let code = drugClass.code;
    // Steroids given by inhaler (budesonide, fluticasone …) are Z79.51 unless the route says nasal or topical; the
    // systemic ones (prednisone …) Z79.52 unless inhaled.
    if (code === 'Z79.51' && /nasal|topical|cream|ointment|spray|drops|eye|ophthalmic|rectal|enema/i.test(route)) continue;
    if (code === 'Z79.52' && (/inhal|puff|mdi|diskus|nebuli/i.test(route) || /inhal/i.test(m.name))) code = 'Z79.51';
    found.push({ code, start: m.start, end: m.end, rule: `${code}: long-term (current) use of ${drugClass.className} from the medication list, I.C.21.c.3` });
  }
  return found;
}

const neverSmoked = /\b(never[- ]smoker|non[- ]?smoker|never smoked|denies (any )?(tobacco|smoking|cigarette)|no (tobacco|smoking|cigarette)|does not smoke|doesn't smoke)/i;
const otherSmoker = /\b(mother|father|parents?|husband|wife|partner|spouse|household|family|sibling|brother|sister|secondhand|second-hand|passive|exposure|exposed)\b/i;
const formerSmoker = /\b(former|ex-?|past|previous|quit|stopped|remote|prior)\b[^.;\n]{0,25}\b(smok|tobacco|cigarette|cigar)\w*|\b(smok|tobacco|cigarette)\w*\b[^.;\n]{0,20}\b(quit|stopped|former)\b|\bhistory of (smoking|tobacco)/i;
const currentSmoker = /\b(smokes|smoker|smoking|current(ly)? smok\w*|tobacco use|uses tobacco|cigarettes?|\d+(\.\d+)? ?(ppd|packs? (per|a|\/) ?day)|pack[- ]years?|chews tobacco|chewing tobacco|smokeless tobacco|vapes|vaping|e-cig\w*)\b/i;

/** Tobacco: current use is nicotine dependence (Index: Smoker → Dependence, nicotine), former use its history. */
export function tobaccoStatus(text: string): StatusFinding[] {
  for (const match of text.matchAll(/[^.;\n]+/g)) {
    const sentence = match[0];
    const at = match.index;
    // Someone else's smoking (a parent, the household, secondhand smoke) is not the patient's tobacco use.
    if (neverSmoked.test(sentence) || otherSmoker.test(sentence)) continue;
    const former = formerSmoker.exec(sentence);
    if (former) {
      return [{ code: 'Z87.891', start: at + former.index, end: at + former.index + former[0].length, rule: 'Z87.891: former tobacco use, personal history of nicotine dependence, I.C.21.c.4' }];
    }
    const current = currentSmoker.exec(sentence);
    if (!current) continue;
    const product = /chew|smokeless/i.test(sentence) ? 'F17.220' : /vap|e-cig/i.test(sentence) ? 'F17.290' : /cigar(?!ette)|pipe/i.test(sentence) && !/cigarette|ppd|pack/i.test(sentence) ? 'F17.290' : /cigarette|ppd|pack|smok/i.test(sentence) ? 'F17.210' : 'F17.200';
    return [{ code: product, start: at + current.index, end: at + current.index + current[0].length, rule: `${product}: current tobacco use coded as nicotine dependence (Index: Smoker), I.C.5.b` }];
  }
  return [];
}

interface StatusPattern {
  pattern: RegExp;
  code: string | ((sentence: string) => string);
  what: string;
}

const side = (sentence: string, right: string, left: string, both: string, unspecified: string) =>
  /\bbilateral|both\b/i.test(sentence) ? both : /\bright\b|\bR\b/.test(sentence) ? right : /\bleft\b|\bL\b/.test(sentence) ? left : unspecified;

/** Device, transplant, artificial opening and dependence statuses and the wording that documents them. */
const statusPatterns: ReadonlyArray<StatusPattern> = [
  { pattern: /\b(AICD|implantable (cardioverter[- ])?defibrillator|cardioverter[- ]defibrillator)\b|\bICD (implanted|placed|in place|in situ)\b|\b(implanted|has an?|with an?) ICD\b/, code: 'Z95.810', what: 'automatic implantable cardiac defibrillator' },
  { pattern: /\b(pacemaker|PPM)\b/, code: 'Z95.0', what: 'cardiac pacemaker' },
  { pattern: /\b(CABG|coronary artery bypass( graft(ing)?)?|aortocoronary bypass)\b/i, code: 'Z95.1', what: 'aortocoronary bypass graft' },
  { pattern: /\b(coronary|cardiac|drug[- ]eluting|bare[- ]metal|LAD|RCA|circumflex)\b[^.;\n]{0,20}\bstents?\b|\bstents?\b[^.;\n]{0,20}\b(LAD|RCA|circumflex|coronary)\b|\bs\/p PCI\b/i, code: 'Z95.5', what: 'coronary angioplasty implant' },
  { pattern: /\b(mechanical|prosthetic|bioprosthetic|tissue) (aortic |mitral )?valve\b|\b(aortic|mitral) valve replacement\b|\b[TS]AVR\b/i, code: 'Z95.2', what: 'prosthetic heart valve' },
  { pattern: /\b(kidney|renal) transplant/i, code: 'Z94.0', what: 'kidney transplant status' },
  { pattern: /\bliver transplant/i, code: 'Z94.4', what: 'liver transplant status' },
  { pattern: /\bheart transplant/i, code: 'Z94.1', what: 'heart transplant status' },
  { pattern: /\blung transplant/i, code: 'Z94.2', what: 'lung transplant status' },
  { pattern: /\b(hemodialysis|peritoneal dialysis|on dialysis|dialysis (three|3) times|dialysis[- ]dependent|HD (MWF|TTS|Mon))\b/i, code: 'Z99.2', what: 'dependence on renal dialysis' },
  { pattern: /\b(home (oxygen|O2)|on \d+(\.\d+)? ?L?\/?(min)? ?(of )?(oxygen|O2) at home|supplemental (oxygen|O2) at home|oxygen[- ]dependent|chronic (oxygen|O2)|long[- ]term (oxygen|O2))\b/i, code: 'Z99.81', what: 'dependence on supplemental oxygen' },
  { pattern: /\bventilator[- ]dependent|dependent on (a |the )?ventilator\b/i, code: 'Z99.11', what: 'dependence on respirator' },
  { pattern: /\bwheelchair[- ](bound|dependent)|confined to (a )?wheelchair\b/i, code: 'Z99.3', what: 'dependence on wheelchair' },
  {
    pattern: /\b(total knee (replacement|arthroplasty)|knee (replacement|arthroplasty)|TKA|TKR)\b/i,
    code: (s) => side(s, 'Z96.651', 'Z96.652', 'Z96.653', 'Z96.659'),
    what: 'artificial knee joint',
  },
  {
    pattern: /\b(total hip (replacement|arthroplasty)|hip (replacement|arthroplasty)|THA|THR)\b/i,
    code: (s) => side(s, 'Z96.641', 'Z96.642', 'Z96.643', 'Z96.649'),
    what: 'artificial hip joint',
  },
  { pattern: /\bcolostomy\b/i, code: 'Z93.3', what: 'colostomy status' },
  { pattern: /\bileostomy\b/i, code: 'Z93.2', what: 'ileostomy status' },
  { pattern: /\btracheostomy\b/i, code: 'Z93.0', what: 'tracheostomy status' },
  { pattern: /\b(gastrostomy|PEG tube|G-tube)\b/i, code: 'Z93.1', what: 'gastrostomy status' },
];

/**
 * Device and dependence statuses documented in the note, skipping negated, hypothetical and relatives' mentions
 * (`contextAt` is the note's ConText assessment) and plans ("will need dialysis" is hypothetical).
 */
export function deviceStatus(text: string, contextAt: (start: number, end: number) => SpanContext, inpatient: boolean): StatusFinding[] {
  const found: StatusFinding[] = [];
  for (const match of text.matchAll(/[^.;\n]+/g)) {
    const sentence = match[0];
    for (const status of statusPatterns) {
      const hit = status.pattern.exec(sentence);
      if (!hit) continue;
      const start = match.index + hit.index;
      const end = start + hit[0].length;
      const context = contextAt(start, end);
      if (context.negated || context.hypothetical || context.family) continue;
      if (/\b(evaluat\w+ for|candidate for|referr?\w* for|consider\w*|discuss\w*|plan\w*|scheduled for|needs?|will (need|require)|not yet|no|not|never|education|prepar\w*|pending)\b[^.;\n]*$/i.test(text.slice(match.index, start))) continue;
      // A device placed during this stay is the procedure, not a status the patient arrived with.
      if (inpatient && /\b(placed|implanted|inserted|PCI with|underwent|performed|today)\b/i.test(sentence) && !/\b(s\/p|status post|history|prior|previous|in (19|20)\d\d|years? ago|months? ago|last year)\b/i.test(sentence)) continue;
      const code = typeof status.code === 'string' ? status.code : status.code(sentence);
      if (found.some((f) => f.code === code)) continue;
      found.push({ code, start, end, rule: `${code}: ${status.what} documented, status code I.C.21.c.3` });
    }
  }
  return found;
}

const vaccineGiven = /\b(tetanus|Tdap|Td|DTaP|influenza|flu|pneumococcal|hepatitis [AB]|zoster|shingles|HPV|MMR|varicella|COVID(-19)?)\b[^.;\n]{0,30}\b(vaccine|vaccination|toxoid|booster|shot|immuni[sz]ation)?\b[^.;\n]{0,20}\b(given|administered|received today|updated|provided)\b/i;

/** An immunization given at the encounter (Z23); the vaccine's disease is not the patient's condition. */
/** Vaccines named as a class ("Vaccines given today: …", "immunizations administered"). */
const vaccinesGiven = /\b(vaccines?|vaccinations?|immuni[sz]ations?)\b[^.;\n:]{0,20}\b(given|administered|received today|provided|updated)\b/i;

export function immunizationGiven(text: string): StatusFinding[] {
  const named = vaccineGiven.exec(text);
  const hit = named && /vaccin|toxoid|booster|shot|immuni|Tdap|DTaP|\bTd\b/i.test(named[0]) ? named : vaccinesGiven.exec(text);
  // "No vaccines given", "vaccines declined, not given": nothing was given.
  if (!hit || /\b(no|not|declined|refused|deferred|held)\b/i.test(`${text.slice(Math.max(0, hit.index - 12), hit.index)} ${hit[0]}`)) return [];
  return [{ code: 'Z23', start: hit.index, end: hit.index + hit[0].length, rule: 'Z23: immunization given at this encounter, I.C.21.c.2' }];
}

/** Weeks of gestation (Z3A.-) from "32 weeks", "32w4d", "GA 32 weeks", "at 32 4/7 weeks". */
export function gestationWeeks(text: string): { weeks: number; start: number; end: number } | undefined {
  const hit =
    /\b(\d{1,2})\s*(?:(?:and\s+)?\d\/7\s*)?(?:weeks?|wks?)\b(?:\s*\d\s*days?)?\s*(?:of\s+)?(?:gestation|pregnan|GA\b|EGA\b|IUP|gestational|by)/i.exec(text) ??
    /\b(?:GA|EGA|gestational age)(?:\s+of)?\s*:?\s*(\d{1,2})\b/i.exec(text) ??
    /\b(?:at|currently|G\d+P\d+(?:\s+at)?)\s+(\d{1,2})\s*(?:\+\d|\d\/7)?\s*(?:weeks?|wks?)\b/i.exec(text) ??
    /\b(\d{1,2})w\d?d?\b/.exec(text);
  if (!hit) return undefined;
  const weeks = Number(hit[1]);
  if (weeks < 4 || weeks > 45) return undefined;
  return { weeks, start: hit.index, end: hit.index + hit[0].length };
}

export function gestationCode(weeks: number): string {
  if (weeks < 8) return 'Z3A.01';
  if (weeks > 42) return 'Z3A.49';
  return `Z3A.${String(weeks).padStart(2, '0')}`;
}

/** Trimester words for O-chapter codes: less than 14 weeks is the first, 14 to 27 the second, 28 on the third. */
export function trimesterWords(weeks: number): string {
  return `${weeks < 14 ? 'first' : weeks < 28 ? 'second' : 'third'} trimester`;
}
