import { describe, expect, it } from 'vitest';
import { structureNote } from './structure.ts';

const vitalsOf = (text: string) => structureNote(text).vitals;

describe('vitals', () => {
  it('normalises to UCUM and codes with LOINC (ACI-BENCH VITALS block)', () => {
    const vitals = vitalsOf('VITALS\n\nBlood pressure: 115/75\nPulse: 67.\nHeight: 5’6.\nWeight: 169 lb.');
    expect(vitals.map((v) => [v.kind, v.loinc, v.value, v.unit])).toEqual([
      ['blood_pressure', '85354-9', 115, 'mm[Hg]'],
      ['heart_rate', '8867-4', 67, '/min'],
      ['height', '8302-2', 167.6, 'cm'],
      ['weight', '29463-7', 76.7, 'kg'],
    ]);
    expect(vitals[0]!.components).toEqual([
      { loinc: '8480-6', display: 'Systolic blood pressure', value: 115, unit: 'mm[Hg]' },
      { loinc: '8462-4', display: 'Diastolic blood pressure', value: 75, unit: 'mm[Hg]' },
    ]);
    expect(vitals[3]!.original).toEqual({ value: 169, unit: '[lb_av]' });
  });

  it('reads temperature, saturation, respiratory rate, BMI and pain score', () => {
    const vitals = vitalsOf('T 98.6 F, RR 16, SpO2 97% on room air, BMI 31.2, pain 6/10.');
    expect(vitals.map((v) => [v.kind, v.value, v.unit])).toEqual([
      ['temperature', 37, 'Cel'],
      ['respiratory_rate', 16, '/min'],
      ['oxygen_saturation', 97, '%'],
      ['bmi', 31.2, 'kg/m2'],
      ['pain_score', 6, '{score}'],
    ]);
  });

  it('does not read thresholds in instructions as measurements (NegEx kit sentences)', () => {
    expect(vitalsOf('Call the physician if any of the following are noted:  HEART RATE GREATER THAN 110 BEATS OR LESS THAN 50 BEATS/MINUTE.')).toEqual([]);
    expect(vitalsOf('Call for temperature elevation greater than 101 degrees Fahrenheit.')).toEqual([]);
    expect(vitalsOf('Hold if SBP < 100 or HR < 60.')).toEqual([]);
    expect(vitalsOf('Call if BP over 160.')).toEqual([]);
  });

  it('names the measure and flags it against adult ranges (NEWS2, ACC/AHA)', () => {
    const [bp, hr, spo2, temp] = vitalsOf('BP 186/92, HR 72, SpO2 92% on room air, T 36.8 C.');
    expect(bp).toMatchObject({ name: { text: 'BP' }, shortName: 'Blood pressure', unitDisplay: 'mmHg', interpretation: 'critical-high', referenceRange: { text: '90–129 / 60–79 mmHg' } });
    expect(hr).toMatchObject({ name: { text: 'HR' }, interpretation: 'normal', referenceRange: { low: 60, high: 100, unit: '/min' } });
    expect(spo2).toMatchObject({ name: { text: 'SpO2' }, shortName: 'SpO2', unit: '%', interpretation: 'low' });
    expect(temp).toMatchObject({ unitDisplay: '°C', interpretation: 'normal' });
    expect(vitalsOf('Pain 7/10.')[0]).toMatchObject({ name: { text: 'Pain' } });
  });

  it('reads SpO2 from a dictation as a vital with unit %, never a lab', () => {
    const note = structureNote('vitals colon blood pressure 150 over 90 comma sats 91 percent on room air period', { source: 'dictation' });
    expect(note.vitals.map((v) => [v.kind, v.value, v.unit, v.interpretation])).toEqual([
      ['blood_pressure', 150, 'mm[Hg]', 'high'],
      ['oxygen_saturation', 91, '%', 'critical-low'],
    ]);
    expect(note.labs).toEqual([]);
    expect(structureNote('oxygen saturation 94 percent period', { source: 'dictation' }).labs).toEqual([]);
  });
  it('reads a measure named with when it was taken: "Weight at discharge 71 kg"', () => {
    expect(vitalsOf('Weight at discharge 71 kg.').map((v) => [v.kind, v.value, v.unit, v.name?.text])).toEqual([['weight', 71, 'kg', 'Weight']]);
  });
});
