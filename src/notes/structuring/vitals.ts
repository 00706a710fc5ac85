/**
 * Vital signs: blood pressure, heart rate, respiratory rate, temperature, oxygen saturation, weight, height,
 * BMI and pain score, each normalised to UCUM units and coded with LOINC. Thresholds ("hold if HR < 60",
 * "call for temperature greater than 101") are instructions, not measurements, and are not extracted.
 */
import type { NoteDocument } from './document.ts';
import { assessVital, humanUnit, vitalShortName } from './reference-ranges.ts';
import type { Vital, VitalKind } from './schema.ts';

interface VitalCode {
  loinc: string;
  display: string;
}

export const vitalCodes: Record<VitalKind, VitalCode> = {
  blood_pressure: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  heart_rate: { loinc: '8867-4', display: 'Heart rate' },
  respiratory_rate: { loinc: '9279-1', display: 'Respiratory rate' },
  temperature: { loinc: '8310-5', display: 'Body temperature' },
  oxygen_saturation: { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  weight: { loinc: '29463-7', display: 'Body weight' },
  height: { loinc: '8302-2', display: 'Body height' },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
  pain_score: { loinc: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' },
};

export const bloodPressureComponents = {
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure' },
} as const;

// Between a label and its value: "is", "was", "of", ":", "=", "-", "today", "noted at", "at discharge" … but never a comparator.
const link = String.raw`(?:\s*(?:[:=\-]|is|was|were|of|at|reading|measured|noted|recorded|today|currently|on arrival|at discharge|on admission|\(|\s)){0,4}\s*`;

interface Rule {
  kind: VitalKind;
  pattern: RegExp;
  /** The measure's name as written ("SpO2", "blood pressure"), found at the start or the end of a match; none for a bare "128/82 mmHg". */
  label: RegExp | null;
  read(m: RegExpMatchArray): { value: number; unit: string; original: { value: number; unit: string | null }; diastolic?: number } | null;
}

const bpLabel = String.raw`BP|B\/P|blood pressures?|SBP\/DBP`;
const heartRateLabel = String.raw`HR|heart rate|pulse(?: rate)?|P(?=:)`;
const respiratoryRateLabel = String.raw`RR|resp(?:iratory)?(?:\.)? rate|respirations|resp|R(?=:)`;
const temperatureLabel = String.raw`T(?=:|\s+\d{2,3}\.\d)|temp(?:erature)?|Tmax|T max`;
const saturationLabel = String.raw`SpO2|SaO2|O2 sat(?:uration)?s?|sat(?:uration)?s?|oxygen saturation|pulse ox(?:imetry)?|pulse oximetry`;
const weightLabel = String.raw`weight|wt|weighs|weighing`;
const heightLabel = String.raw`height|ht`;
const bmiLabel = String.raw`BMI|body mass index`;
const painLabel = String.raw`pain(?: score| scale| level| rating)?`;

/** Finds the label at the start of a match ("SpO2 92%") or at its end ("6/10 pain"). */
function labelAtEdge(source: string): RegExp {
  return new RegExp(String.raw`^(?:${source})|\b(?:${source})$`, 'i');
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const rules: Rule[] = [
  {
    kind: 'blood_pressure',
    label: labelAtEdge(bpLabel),
    // "150/90", or dictated "150 over 90".
    pattern: new RegExp(String.raw`\b(?:${bpLabel})${link}(\d{2,3})\s*(?:\/|over)\s*(\d{2,3})(?:\s*(mm ?Hg|mmHg))?`, 'gi'),
    read: (m) => {
      const sys = Number(m[1]);
      const dia = Number(m[2]);
      if (sys < 50 || sys > 300 || dia < 20 || dia > 200 || dia >= sys) return null;
      return { value: sys, unit: 'mm[Hg]', original: { value: sys, unit: m[3] ?? null }, diastolic: dia };
    },
  },
  {
    kind: 'blood_pressure',
    // A bare "128/82 mmHg" with its unit is a blood pressure wherever it stands.
    label: null,
    pattern: /\b(\d{2,3})\s*\/\s*(\d{2,3})\s*(mm ?Hg|mmHg)/gi,
    read: (m) => {
      const sys = Number(m[1]);
      const dia = Number(m[2]);
      if (sys < 50 || sys > 300 || dia < 20 || dia >= sys) return null;
      return { value: sys, unit: 'mm[Hg]', original: { value: sys, unit: m[3]! }, diastolic: dia };
    },
  },
  {
    kind: 'heart_rate',
    label: labelAtEdge(heartRateLabel),
    pattern: new RegExp(String.raw`\b(?:${heartRateLabel})${link}(\d{2,3})(?:\s*(bpm|beats per minute|beats\/min|\/min))?`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      return v >= 20 && v <= 250 ? { value: v, unit: '/min', original: { value: v, unit: m[2] ?? null } } : null;
    },
  },
  {
    kind: 'respiratory_rate',
    label: labelAtEdge(respiratoryRateLabel),
    pattern: new RegExp(String.raw`\b(?:${respiratoryRateLabel})${link}(\d{1,2})(?:\s*(breaths per minute|breaths\/min|\/min|bpm))?`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      return v >= 4 && v <= 80 ? { value: v, unit: '/min', original: { value: v, unit: m[2] ?? null } } : null;
    },
  },
  {
    kind: 'temperature',
    label: labelAtEdge(temperatureLabel),
    pattern: new RegExp(String.raw`\b(?:${temperatureLabel})${link}(\d{2,3}(?:\.\d{1,2})?)\s*(?:°|degrees?|deg)?\s*(F|C|Fahrenheit|Celsius|centigrade)?\b`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      const u = (m[2] ?? '').toLowerCase();
      const fahrenheit = u.startsWith('f') || (!u && v >= 80);
      if (fahrenheit && (v < 85 || v > 110)) return null;
      if (!fahrenheit && (v < 30 || v > 44)) return null;
      return {
        value: fahrenheit ? round(((v - 32) * 5) / 9) : v,
        unit: 'Cel',
        original: { value: v, unit: fahrenheit ? '[degF]' : 'Cel' },
      };
    },
  },
  {
    kind: 'oxygen_saturation',
    label: labelAtEdge(saturationLabel),
    // "92%", or dictated "92 percent".
    pattern: new RegExp(String.raw`\b(?:${saturationLabel})${link}(\d{2,3})\s*(?:%|percent\b)`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      return v >= 50 && v <= 100 ? { value: v, unit: '%', original: { value: v, unit: '%' } } : null;
    },
  },
  {
    kind: 'weight',
    label: labelAtEdge(weightLabel),
    pattern: new RegExp(String.raw`\b(?:${weightLabel})${link}(\d{1,3}(?:\.\d+)?)\s*(kg|kgs|kilograms?|lbs?|pounds?)\b`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      const pounds = /^(lb|pound)/i.test(m[2]!);
      const kg = pounds ? round(v * 0.45359237) : v;
      return kg >= 0.3 && kg <= 400 ? { value: kg, unit: 'kg', original: { value: v, unit: pounds ? '[lb_av]' : 'kg' } } : null;
    },
  },
  {
    kind: 'height',
    label: labelAtEdge(heightLabel),
    pattern: new RegExp(String.raw`\b(?:${heightLabel})${link}(?:(\d)\s*(?:'|’|ft|feet|foot)\s*(\d{1,2}(?:\.\d)?)?\s*(?:"|”|in(?:ches)?)?|(\d{2,3}(?:\.\d+)?)\s*(cm|centimeters?|in|inches|m)\b)`, 'gi'),
    read: (m) => {
      if (m[1]) {
        const inches = Number(m[1]) * 12 + Number(m[2] ?? 0);
        const cm = round(inches * 2.54);
        return cm >= 40 && cm <= 250 ? { value: cm, unit: 'cm', original: { value: inches, unit: '[in_i]' } } : null;
      }
      const v = Number(m[3]);
      const unit = m[4]!.toLowerCase();
      const cm = unit.startsWith('c') ? v : unit === 'm' ? v * 100 : round(v * 2.54);
      return cm >= 40 && cm <= 250 ? { value: cm, unit: 'cm', original: { value: v, unit: unit.startsWith('c') ? 'cm' : unit === 'm' ? 'm' : '[in_i]' } } : null;
    },
  },
  {
    kind: 'bmi',
    label: labelAtEdge(bmiLabel),
    pattern: new RegExp(String.raw`\b(?:${bmiLabel})${link}(\d{2}(?:\.\d{1,2})?)`, 'gi'),
    read: (m) => {
      const v = Number(m[1]);
      return v >= 10 && v <= 90 ? { value: v, unit: 'kg/m2', original: { value: v, unit: null } } : null;
    },
  },
  {
    kind: 'pain_score',
    label: labelAtEdge(painLabel),
    pattern: /\b(?:pain(?: score| scale| level| rating)?(?:\s*(?:is|was|of|at|:|=|rated|reported as)){0,3}\s*(\d{1,2})\s*(?:\/|out of)\s*10\b|(\d{1,2})\s*(?:\/|out of)\s*10\s+pain)/gi,
    read: (m) => {
      const v = Number(m[1] ?? m[2]);
      return v >= 0 && v <= 10 ? { value: v, unit: '{score}', original: { value: v, unit: null } } : null;
    },
  },
];

export function extractVitals(doc: NoteDocument): Vital[] {
  const vitals: Vital[] = [];
  const taken: Array<[number, number]> = [];
  for (const rule of rules) {
    for (const m of doc.text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      // "hold if HR < 60": a comparator anywhere in the match makes it a threshold.
      // "150 over 90" is a dictated reading, not "over 90".
      if (/[<>≤≥]|less than|greater than|more than|above|below|(?<!\d\s{0,3})over \d/i.test(m[0])) continue;
      const read = rule.read(m);
      if (!read) continue;
      taken.push([start, end]);
      const code = vitalCodes[rule.kind];
      const label = rule.label?.exec(m[0]);
      const assessment = assessVital(rule.kind, read.value, read.unit, read.diastolic);
      vitals.push({
        id: '',
        kind: rule.kind,
        loinc: code.loinc,
        display: code.display,
        shortName: vitalShortName(rule.kind),
        start,
        end,
        text: m[0],
        name: label ? { start: start + label.index, end: start + label.index + label[0].length, text: label[0] } : null,
        value: read.value,
        unit: read.unit,
        unitDisplay: humanUnit(read.unit),
        ...(assessment ?? {}),
        components:
          read.diastolic !== undefined
            ? [
                { ...bloodPressureComponents.systolic, value: read.value, unit: 'mm[Hg]' },
                { ...bloodPressureComponents.diastolic, value: read.diastolic, unit: 'mm[Hg]' },
              ]
            : [],
        original: read.original,
        sectionId: doc.sectionAt(start)?.id ?? null,
        confidence: 0.95,
        source: 'rules',
      });
    }
  }
  return vitals.sort((a, b) => a.start - b.start).map((v, i) => ({ ...v, id: `v${i + 1}` }));
}
