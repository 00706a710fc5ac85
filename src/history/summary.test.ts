import { describe, expect, it } from 'vitest';

import { assembleSummary } from './summary.ts';
import type { Fact } from './types.ts';

let n = 0;
function fact(partial: Partial<Fact> & Pick<Fact, 'kind' | 'display' | 'observedAt'>): Fact {
  n++;
  return {
    id: `f${n}`,
    patientId: 'p',
    noteId: `note-${n}`,
    origin: 'note',
    codes: [],
    status: null,
    negated: false,
    uncertain: false,
    historical: false,
    hypothetical: false,
    family: false,
    value: null,
    unit: null,
    valueText: null,
    start: n,
    end: n + 3,
    sourceRef: null,
    detail: {},
    ...partial,
  };
}
const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('assembleSummary', () => {
  it('labels vital and lab series for people from their latest reading: short name, human unit, reference range, and each reading judged', () => {
    const range = { low: 0.6, high: 1.3, unit: 'mg/dL', text: '0.6–1.3 mg/dL' };
    const creatinine = (value: number, day: string, interpretation: string | undefined) =>
      fact({ kind: 'lab', display: 'Creatinine [Mass/volume] in Serum or Plasma', codes: ['loinc:2160-0'], value, unit: 'mg/dL', observedAt: d(day), detail: interpretation ? { shortName: 'Creatinine', unitDisplay: 'mg/dL', referenceRange: range, interpretation } : {} });
    // The oldest fact predates the labels: its reading stays unjudged, and the series takes the latest labels.
    const summary = assembleSummary([creatinine(1.1, '2024-01-01', undefined), creatinine(1.6, '2024-02-01', 'high'), creatinine(1.7, '2024-03-01', 'high')], []);
    expect(summary.labs[0]).toMatchObject({ shortName: 'Creatinine', unitDisplay: 'mg/dL', referenceRange: range });
    expect(summary.labs[0]!.points.map((p) => p.interpretation)).toEqual([null, 'high', 'high']);
    const spo2 = fact({ kind: 'vital', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', codes: ['loinc:59408-5'], value: 88, unit: '%', observedAt: d('2024-03-01'), detail: { shortName: 'SpO2', unitDisplay: '%', referenceRange: { low: 95, unit: '%', text: '≥ 95 %' }, interpretation: 'low' } });
    expect(assembleSummary([spo2], []).vitals[0]).toMatchObject({ shortName: 'SpO2', unitDisplay: '%', referenceRange: { text: '≥ 95 %' }, interpretation: 'low' });
  });

  it('lists active problems with first and last mention, leaving out denied, family and resolved ones', () => {
    const facts = [
      fact({ kind: 'problem', display: 'Type 2 diabetes', codes: ['icd10:E11.9'], observedAt: d('2019-01-01') }),
      fact({ kind: 'problem', display: 'DVT', codes: ['icd10:I82.40'], observedAt: d('2019-02-01'), negated: true }),
      fact({ kind: 'problem', display: 'Breast cancer', codes: ['icd10:C50.919'], observedAt: d('2019-02-01'), family: true }),
      fact({ kind: 'problem', display: 'Pharyngitis', codes: ['snomed:195662009'], observedAt: d('2019-03-01'), status: 'active', origin: 'fhir' }),
      fact({ kind: 'problem', display: 'Pharyngitis', codes: ['snomed:195662009'], observedAt: d('2019-04-01'), status: 'resolved', origin: 'fhir' }),
      fact({ kind: 'problem', display: 'type 2 diabetes mellitus', codes: ['icd10:E11.9'], observedAt: d('2021-05-01') }),
    ];
    const summary = assembleSummary(facts, []);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({ codes: ['icd10:E11.9'], firstMentioned: d('2019-01-01'), lastMentioned: d('2021-05-01'), mentions: 2 });
    expect(summary.problems[0]!.sources.map((s) => s.noteId)).toEqual([facts[5]!.noteId, facts[0]!.noteId]);
    expect(summary.problems[0]!.pastOnly).toBe(false);
  });

  it('merges mentions of one concept into one problem with a count, the most specific name and the latest status and date', () => {
    // Codes as the structurer gives them: "HTN", "hypertension" and "essential hypertension" are all I10;
    // "T2DM" is read as DM (E11), "type 2 diabetes mellitus" as E11.9 with E11 as its fallback.
    const facts = [
      fact({ kind: 'problem', display: 'HTN', codes: ['icd10:I10'], observedAt: d('2020-01-01') }),
      fact({ kind: 'problem', display: 'Type 2 diabetes mellitus', codes: ['icd10:E11.9', 'icd10:E11'], observedAt: d('2020-01-01') }),
      fact({ kind: 'problem', display: 'hypertension', codes: ['icd10:I10'], observedAt: d('2021-01-01') }),
      fact({ kind: 'problem', display: 'Hypertension', codes: ['snomed:38341003', 'icd10:I10'], observedAt: d('2021-06-01'), status: 'active', origin: 'fhir' }),
      fact({ kind: 'problem', display: 'DM (Diabetes mellitus)', codes: ['icd10:E11'], observedAt: d('2022-01-01') }),
      fact({ kind: 'problem', display: 'Essential hypertension', codes: ['icd10:I10'], observedAt: d('2023-01-01') }),
      // Distinct diseases stay apart, though they share a category or the word "diabetes".
      fact({ kind: 'problem', display: 'Type 2 diabetes mellitus with hyperglycemia', codes: ['icd10:E11.65'], observedAt: d('2022-06-01') }),
      fact({ kind: 'problem', display: 'Type 1 diabetes', codes: ['icd10:E10.9', 'icd10:E10'], observedAt: d('2022-06-01') }),
      fact({ kind: 'problem', display: 'Asthma', codes: ['icd10:J45', 'icd10:J45.90'], observedAt: d('2022-06-01') }),
      fact({ kind: 'problem', display: 'Mild intermittent asthma', codes: ['icd10:J45.2'], observedAt: d('2022-06-01') }),
      // Uncoded mentions join by their name.
      fact({ kind: 'problem', display: 'Frailty', observedAt: d('2020-01-01') }),
      fact({ kind: 'problem', display: 'frailty', observedAt: d('2021-01-01') }),
    ];
    const problems = assembleSummary(facts, []).problems;
    expect(problems).toHaveLength(7);
    const htn = problems.find((p) => p.codes.includes('icd10:I10'))!;
    expect(htn).toMatchObject({ display: 'Essential hypertension', aliases: ['HTN', 'hypertension'], mentions: 4, status: 'active', firstMentioned: d('2020-01-01'), lastMentioned: d('2023-01-01') });
    expect(htn.codes).toEqual(['icd10:I10', 'snomed:38341003']);
    expect(htn.sources.map((s) => s.noteId)).toEqual([5, 3, 2, 0].map((i) => facts[i]!.noteId));
    // The latest mention is the vaguer "DM"; the problem keeps the specific name, and E11.9 first.
    const t2dm = problems.find((p) => p.codes[0] === 'icd10:E11.9')!;
    expect(t2dm).toMatchObject({ display: 'Type 2 diabetes mellitus', aliases: ['DM (Diabetes mellitus)'], mentions: 2, lastMentioned: d('2022-01-01') });
    expect(problems.filter((p) => p.mentions === 1).map((p) => p.display).sort()).toEqual(['Asthma', 'Mild intermittent asthma', 'Type 1 diabetes', 'Type 2 diabetes mellitus with hyperglycemia']);
    expect(problems.find((p) => p.display === 'frailty')).toMatchObject({ aliases: [], mentions: 2 });
  });

  it('marks problems mentioned only as past history, unless a later mention or a coded status makes them current', () => {
    const facts = [
      fact({ kind: 'problem', display: 'appendicitis', codes: ['icd10:K37'], observedAt: d('2020-01-01'), historical: true }),
      fact({ kind: 'problem', display: 'hypertension', codes: ['icd10:I10'], observedAt: d('2020-01-01'), historical: true }),
      fact({ kind: 'problem', display: 'essential hypertension', codes: ['icd10:I10'], observedAt: d('2021-01-01') }),
      fact({ kind: 'problem', display: 'asthma', codes: ['icd10:J45.909'], observedAt: d('2020-01-01'), historical: true, status: 'active', origin: 'fhir' }),
    ];
    const byCode = Object.fromEntries(assembleSummary(facts, []).problems.map((p) => [p.codes[0], p.pastOnly]));
    expect(byCode).toEqual({ 'icd10:K37': true, 'icd10:I10': false, 'icd10:J45.909': false });
  });

  it('keeps medications whose latest mention is current and drops stopped ones', () => {
    const summary = assembleSummary(
      [
        fact({ kind: 'medication', display: 'metformin', codes: ['rxnorm:6809'], observedAt: d('2020-01-01'), status: 'active' }),
        fact({ kind: 'medication', display: 'warfarin', codes: ['rxnorm:11289'], observedAt: d('2020-01-01'), status: 'active' }),
        fact({ kind: 'medication', display: 'warfarin', codes: ['rxnorm:11289'], observedAt: d('2021-01-01'), status: 'stopped' }),
        fact({ kind: 'medication', display: 'aspirin', codes: ['rxnorm:1191'], observedAt: d('2021-01-01'), status: 'unknown', negated: true }),
      ],
      [],
    );
    expect(summary.medications.map((m) => m.display)).toEqual(['metformin']);
  });

  it('reports allergies, or an explicit no-known-allergies statement when there are none', () => {
    const nkda = fact({ kind: 'allergy', display: 'No known allergies', observedAt: d('2020-01-01'), status: 'none-known' });
    expect(assembleSummary([nkda], []).noKnownAllergies?.noteId).toBe(nkda.noteId);
    const latex = fact({ kind: 'allergy', display: 'Latex allergy', codes: ['snomed:300916003'], observedAt: d('2021-01-01'), status: 'active', detail: { reactions: ['rash'] } });
    const summary = assembleSummary([nkda, latex], []);
    expect(summary.allergies.map((a) => [a.display, a.reactions])).toEqual([['Latex allergy', ['rash']]]);
    expect(summary.noKnownAllergies).toBeNull();
  });

  it('gives the latest vital per kind and a lab series per test with the last change', () => {
    const summary = assembleSummary(
      [
        fact({ kind: 'vital', display: 'Body Weight', codes: ['loinc:29463-7'], observedAt: d('2020-01-01'), value: 80, unit: 'kg' }),
        fact({ kind: 'vital', display: 'Body Weight', codes: ['loinc:29463-7'], observedAt: d('2021-01-01'), value: 78, unit: 'kg' }),
        fact({ kind: 'lab', display: 'HbA1c', codes: ['loinc:4548-4'], observedAt: d('2020-01-01'), value: 8.1, unit: '%' }),
        fact({ kind: 'lab', display: 'HbA1c', codes: ['loinc:4548-4'], observedAt: d('2020-06-01'), value: 7.4, unit: '%' }),
        fact({ kind: 'lab', display: 'HbA1c', codes: ['loinc:4548-4'], observedAt: d('2021-01-01'), value: 6.9, unit: '%' }),
      ],
      [],
    );
    expect(summary.vitals.map((v) => [v.display, v.value])).toEqual([['Body Weight', 78]]);
    expect(summary.vitals[0]!.points.map((p) => [p.observedAt, p.value])).toEqual([
      [d('2020-01-01'), 80],
      [d('2021-01-01'), 78],
    ]);
    const [hba1c] = summary.labs;
    expect(hba1c!.points.map((p) => p.value)).toEqual([8.1, 7.4, 6.9]);
    expect(hba1c!.change).toBeCloseTo(-0.5);
    expect(hba1c!.latest.source.noteId).toBe(hba1c!.points[2]!.source.noteId);
  });

  it('keeps every reading of a vital sign for its trend, oldest first, with blood-pressure components and their sources', () => {
    const bp = (at: string, systolic: number, diastolic: number) =>
      fact({
        kind: 'vital',
        display: 'Blood pressure panel',
        codes: ['loinc:85354-9'],
        observedAt: d(at),
        value: systolic,
        unit: 'mm[Hg]',
        detail: { components: [{ loinc: '8480-6', value: systolic }, { loinc: '8462-4', value: diastolic }] },
      });
    const readings = [bp('2020-01-01', 150, 95), fact({ kind: 'vital', display: 'Heart rate', codes: ['loinc:8867-4'], observedAt: d('2020-01-01'), value: 88, unit: '/min' }), bp('2021-01-01', 142, 88)];
    const [pressure, heartRate] = assembleSummary(readings, []).vitals;
    expect(pressure!.points.map((p) => [p.observedAt, p.components])).toEqual([
      [d('2020-01-01'), [{ loinc: '8480-6', value: 150 }, { loinc: '8462-4', value: 95 }]],
      [d('2021-01-01'), [{ loinc: '8480-6', value: 142 }, { loinc: '8462-4', value: 88 }]],
    ]);
    expect(pressure!.points.map((p) => p.source.noteId)).toEqual([readings[0]!.noteId, readings[2]!.noteId]);
    // The vital itself reads as its latest point.
    expect(pressure).toMatchObject({ value: 142, observedAt: d('2021-01-01'), components: pressure!.points[1]!.components, source: pressure!.points[1]!.source });
    expect(heartRate!.points.map((p) => p.value)).toEqual([88]);
  });
});
