/**
 * Lab results: a test name from the LOINC-derived lab lexicon followed by a value ("creatinine 1.4 mg/dL (H)",
 * "Hgb: 10.2 L") or a qualitative result ("creatinine was slightly elevated", "elevated A1c", "TSH normal").
 * A test name without a result is an order ("we will check a TSH", "cortisol sent"): it goes to the note's lab
 * orders, never to its results.
 */
import { mentionContext } from './context.ts';
import type { NoteDocument } from './document.ts';
import { lexicons } from './lexicons.ts';
import { assessLab, humanUnit, labShortName } from './reference-ranges.ts';
import type { Lab, LabOrder, Span } from './schema.ts';

/** Units as written → UCUM. */
const labUnits: Record<string, string> = {
  'mg/dl': 'mg/dL', 'g/dl': 'g/dL', 'g/l': 'g/L', 'mmol/l': 'mmol/L', 'umol/l': 'umol/L', 'µmol/l': 'umol/L',
  'meq/l': 'meq/L', '%': '%', 'k/ul': '10*3/uL', 'k/mm3': '10*3/uL', 'x10^3/ul': '10*3/uL', 'x10e3/ul': '10*3/uL',
  'x10^9/l': '10*9/L', '10^9/l': '10*9/L', 'm/ul': '10*6/uL', 'x10^6/ul': '10*6/uL', 'u/l': 'U/L', 'iu/l': '[IU]/L',
  'ng/ml': 'ng/mL', 'ng/dl': 'ng/dL', 'pg/ml': 'pg/mL', 'ug/dl': 'ug/dL', 'mcg/dl': 'ug/dL', 'miu/l': 'm[IU]/L',
  'uiu/ml': 'u[IU]/mL', 'µiu/ml': 'u[IU]/mL', 'miu/ml': 'm[IU]/mL', 'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'ml/min': 'mL/min', 'sec': 's', 'seconds': 's', 's': 's', 'mg/l': 'mg/L', 'fl': 'fL', 'pg': 'pg', 'mm/hr': 'mm/h',
};

const unitPattern = /^\s*(mg\/dl|g\/dl|g\/l|mmol\/l|[uµ]mol\/l|meq\/l|%|k\/ul|k\/mm3|x10\^3\/ul|x10e3\/ul|x?10\^9\/l|m\/ul|x10\^6\/ul|u\/l|iu\/l|ng\/ml|ng\/dl|pg\/ml|ug\/dl|mcg\/dl|miu\/l|[uµ]iu\/ml|miu\/ml|ml\/min\/1\.73\s?m2|ml\/min|seconds|sec|mg\/l|fl|pg|mm\/hr|s)(?![a-z])/i;

// After the name: optional linking words, then a number (possibly with a comparator) …
const valuePattern = /^(?:\s*(?:level|levels|count|value|result|results|is|was|were|of|at|came back|returned|measured|peaked at|down to|up to|rose to|fell to|now|:|=|-|—|\())*\s*([<>]=?\s*)?(\d+(?:\.\d+)?)(?!\s*\/\s*\d)(?!\d|\.\d)(?!\s*(?:-\s*)?(?:days?|weeks?|months?|years?|hours?|times|x\b))/i;
// … or a qualitative result within a few words.
const qualitativeAfter = /^(?:\s*(?:level|levels|count|value|values|result|results|is|was|were|has been|have been|came back|returned|remains|remained|appears|slightly|mildly|markedly|significantly|very|quite|a little|bit|:|-))*\s*(elevated|high|increased|raised|low|decreased|reduced|normal|within normal limits|wnl|unremarkable|abnormal|positive|negative|undetectable|stable|trace|large|pending)\b/i;
const qualitativeBefore = /\b(elevated|high|increased|raised|low|decreased|reduced|normal|abnormal|positive|negative)\s+(?:for\s+|serum\s+|blood\s+)?$/i;

const flagFromWord: Record<string, Lab['flag']> = {
  elevated: 'H', high: 'H', increased: 'H', raised: 'H', low: 'L', decreased: 'L', reduced: 'L', normal: 'N',
  'within normal limits': 'N', wnl: 'N', unremarkable: 'N', abnormal: 'A', positive: 'A', negative: 'N', undetectable: 'N', stable: null,
  // Dipstick grades ("urine ketones large") are present, so abnormal; a pending result has no reading yet.
  trace: 'A', large: 'A', pending: null,
};

const flagAfterValue = /^\s*(?:\(\s*([HL])\s*\)|\b([HL])\b(?!\/)|\b(high|low|elevated|normal|abnormal)\b)/i;

/**
 * Words that order a test named without a result: before it ("to be excluded with tTG-IgA", "check a TSH",
 * "repeat BMP") or after it ("cortisol sent", "A1c yearly", "CBC in 2 weeks").
 */
const orderedBefore = /\b(order(?:ed)?|check(?:ed)?|recheck|repeat|obtain|send|sent|draw|will get|excluded with|evaluate with|monitor|trend)\b(?:\s+(?:a|an|the|her|his|serum|urine|blood|fasting))?\s*$/i;
const orderedAfter = /^\s*(?:(?:was|were|is|are|has been|have been|to be)\s+)?(sent|ordered|drawn|requested|yearly|annually|monthly|weekly|tomorrow|in \d+ (?:days?|weeks?|months?))\b/i;

export interface LabFindings {
  results: Lab[];
  orders: LabOrder[];
}

export function extractLabs(doc: NoteDocument, excluded: ReadonlyArray<Span> = []): LabFindings {
  const labs: Lab[] = [];
  const orders: LabOrder[] = [];
  const { labs: index } = lexicons();
  for (const sentence of doc.sentences) {
    for (const match of index.matchAll(doc.tokens, sentence.firstToken, sentence.endToken)) {
      if (doc.inHeader(match.start)) continue;
      if (excluded.some((e) => match.start < e.end && match.end > e.start)) continue;
      const after = doc.text.slice(match.end, Math.min(sentence.end, match.end + 60));
      const before = doc.text.slice(Math.max(sentence.start, match.start - 30), match.start);
      let value: number | null = null;
      let valueText: string | null = null;
      let unit: string | null = null;
      let flag: Lab['flag'] = null;
      let end = match.end;
      // "A1c": the match starts after the "A" the lexicon key skips as an article; the name keeps it.
      const fused = doc.tokens[match.firstToken - 1];
      const nameStart = fused && fused.kind === 'word' && fused.end === match.start ? fused.start : match.start;
      let start = nameStart;
      const v = valuePattern.exec(after);
      if (v) {
        value = Number(v[2]);
        end = match.end + v[0].length;
        const rest = doc.text.slice(end, Math.min(sentence.end, end + 30));
        const u = unitPattern.exec(rest);
        if (u) {
          unit = labUnits[u[1]!.toLowerCase().replace(/\s/g, '')] ?? u[1]!;
          end += u[0].length;
        }
        const f = flagAfterValue.exec(doc.text.slice(end, Math.min(sentence.end, end + 20)));
        if (f) {
          const word = (f[1] ?? f[2] ?? f[3] ?? '').toLowerCase();
          flag = word === 'h' ? 'H' : word === 'l' ? 'L' : flagFromWord[word] ?? null;
          end += f[0].length;
        }
        if (v[1]) valueText = `${v[1].trim()}${v[2]}`;
      } else {
        const q = qualitativeAfter.exec(after);
        const b = qualitativeBefore.exec(before);
        if (q) {
          valueText = q[1]!.toLowerCase();
          end = match.end + q[0].length;
        } else if (b) {
          valueText = b[1]!.toLowerCase();
          start = match.start - b[0].length;
        } else {
          const order = orderOf(doc, nameStart, match.end, sentence.start, sentence.end);
          if (order && !mentionContext(doc, match.start, match.end, doc.sectionAt(match.start)?.type ?? null).negated) {
            orders.push({
              id: `o${orders.length + 1}`,
              start: Math.min(nameStart, order.start),
              end: Math.max(match.end, order.end),
              text: doc.text.slice(Math.min(nameStart, order.start), Math.max(match.end, order.end)),
              name: { start: nameStart, end: match.end, text: doc.text.slice(nameStart, match.end) },
              loinc: match.value.loinc,
              display: match.value.display,
              shortName: labShortName(match.value.loinc, match.value.display),
              cue: order,
              sectionId: doc.sectionAt(match.start)?.id ?? null,
              confidence: 0.7,
              source: 'rules',
            });
          }
          continue;
        }
        flag = flagFromWord[valueText] ?? null;
      }
      const section = doc.sectionAt(match.start);
      const assessment = assessLab(match.value.loinc, value, unit);
      labs.push({
        id: `l${labs.length + 1}`,
        start,
        end,
        text: doc.text.slice(start, end),
        name: { start: nameStart, end: match.end, text: doc.text.slice(nameStart, match.end) },
        loinc: match.value.loinc,
        display: match.value.display,
        shortName: labShortName(match.value.loinc, match.value.display),
        value,
        valueText,
        unit,
        unitDisplay: unit ? humanUnit(unit) : null,
        ...(assessment ?? {}),
        flag,
        sectionId: section?.id ?? null,
        context: mentionContext(doc, match.start, match.end, section?.type ?? null),
        confidence: value !== null ? (unit ? 0.95 : 0.85) : 0.75,
        source: 'rules',
      });
    }
  }
  return { results: labs, orders };
}

/** The words ordering a test named at [start, end) within its sentence, or null. */
function orderOf(doc: NoteDocument, start: number, end: number, sentenceStart: number, sentenceEnd: number): Span | null {
  const before = orderedBefore.exec(doc.text.slice(Math.max(sentenceStart, start - 40), start));
  if (before) {
    const at = start - before[0].length;
    return { start: at, end: at + before[1]!.length, text: before[1]! };
  }
  const after = orderedAfter.exec(doc.text.slice(end, Math.min(sentenceEnd, end + 40)));
  if (!after) return null;
  const cueEnd = end + after[0].length;
  const cueStart = cueEnd - after[1]!.length;
  return { start: cueStart, end: cueEnd, text: after[1]! };
}
