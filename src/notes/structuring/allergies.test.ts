import { describe, expect, it } from 'vitest';
import { structureNote } from './structure.ts';

const allergiesOf = (text: string) => structureNote(text).allergies;

describe('allergies', () => {
  it('recognises no-known-allergy statements and their scope (NegEx kit, MTSamples)', () => {
    expect(allergiesOf('ALLERGIES:   NO KNOWN DRUG ALLERGIES.')).toMatchObject([{ noKnownAllergies: true, scope: 'drug', substance: null }]);
    expect(allergiesOf('Allergies: NKDA.')).toMatchObject([{ noKnownAllergies: true, scope: 'drug', text: 'NKDA' }]);
    expect(allergiesOf('ALLERGIES: , NONE.,PLAN:, Follow up.')).toMatchObject([{ noKnownAllergies: true, scope: 'all' }]);
  });

  it('lists each allergen of an ALLERGIES section (ACI-BENCH note)', () => {
    const allergies = allergiesOf('ALLERGIES\n\nPercocet.\nVicodin.\nReglan.\n\nVITALS\n\nBlood pressure: 115/75');
    expect(allergies.map((a) => [a.substance?.text, a.substance?.display, a.substance?.category])).toEqual([
      ['Percocet', 'oxycodone', 'medication'],
      ['Vicodin', 'acetaminophen / hydrocodone', 'medication'],
      ['Reglan', 'metoclopramide', 'medication'],
    ]);
  });

  it('reads reactions and severity, and skips denied allergies (MTSamples)', () => {
    const [bactrim, ...rest] = allergiesOf('ALLERGIES TO MEDICATIONS: , Bactrim which causes a rash.  The patient denies latex allergy.,');
    expect(bactrim).toMatchObject({ substance: { text: 'Bactrim' }, reactions: [{ text: 'rash' }] });
    expect(rest).toEqual([]);
    const [tape] = allergiesOf('ALLERGIES: ,Patient admits allergies to adhesive tape resulting in severe rash.');
    expect(tape).toMatchObject({ substance: { text: 'adhesive tape', category: 'environment' }, severity: 'severe', reactions: [{ text: 'rash' }] });
  });

  it('finds allergies outside an allergy section', () => {
    const [penicillin] = allergiesOf('She is allergic to penicillin, which gave her hives.');
    expect(penicillin).toMatchObject({ substance: { text: 'penicillin' }, reactions: [{ text: 'hives', code: '247472004' }] });
  });

  it('shows reactions in the note\'s words with the SNOMED code alongside: "hives", not "Wheal (finding)"', () => {
    const [penicillin] = allergiesOf('Allergies: penicillin (hives).');
    expect(penicillin!.reactions).toEqual([
      expect.objectContaining({ text: 'hives', display: 'hives', system: 'http://snomed.info/sct', code: '247472004', codeDisplay: 'Wheal (finding)' }),
    ]);
  });

  it('reads no allergy list where no header says so: "Complete doxycycline course" is a medication', () => {
    const note = structureNote('Complete doxycycline course. Complete the course of amoxicillin.');
    expect(note.allergies).toEqual([]);
    expect(note.medications.map((m) => [m.name, m.status])).toEqual([['doxycycline', 'active'], ['amoxicillin', 'active']]);
  });

  it('reads an inline allergy list as one sentence: what follows is not allergies', () => {
    const note = structureNote('Allergies: latex (rash), trimethoprim-sulfamethoxazole (hives). Hgb 13.9. Hold lisinopril the morning of surgery.');
    expect(note.allergies.map((a) => a.substance?.text)).toEqual(['latex', 'trimethoprim-sulfamethoxazole']);
    expect(note.medications.map((m) => [m.name, m.status])).toEqual([['lisinopril', 'held']]);
  });

  it('ends an allergy list at the next inline label', () => {
    const note = structureNote('Allergies: sulfa drugs (anaphylaxis), codeine (rash). Current meds: levothyroxine 50 mcg daily.');
    expect(note.allergies.map((a) => a.substance?.text)).toEqual(['sulfa drugs', 'codeine']);
    expect(note.medications.map((m) => m.name)).toEqual(['levothyroxine']);
  });
  it('reads the reaction in a bracket after "X allergy": "penicillin allergy from childhood (hives at age 4)"', () => {
    const [penicillin] = allergiesOf('Reports penicillin allergy from childhood (hives at age 4); skin testing today positive.');
    expect(penicillin).toMatchObject({ substance: { text: 'penicillin' }, reactions: [{ text: 'hives' }] });
  });
});
