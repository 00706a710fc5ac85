/**
 * Readers for the section-labelled evaluation sets (ACI-BENCH, MTS-Dialog) and the mappings between their
 * label sets and Clinote's canonical sections. Shared by the section evaluations and the classifier trainer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCsvObjects } from '../models/lexicons/build/sources.ts';
import type { SectionType } from '../src/notes/structuring/section-catalog.ts';

export interface MtsDialogRow {
  id: string;
  label: string;
  text: string;
}

/** MTS-Dialog CSV (ID, section_header, section_text, dialogue). */
export function readMtsDialog(file: string): MtsDialogRow[] {
  return readCsvObjects(file).map((r) => ({ id: r.ID ?? '', label: (r.section_header ?? '').trim(), text: r.section_text ?? '' }));
}

const familyWord = /\b(mother|father|sister|brother|siblings?|daughter|son|grand(mother|father|parents?)|aunt|uncle|cousin|parents?|family|maternal|paternal|mom|dad)\b/i;

/**
 * Canonical section for an MTS-Dialog label. MTS-Dialog merges family and social history (FAM/SOCHX); for
 * training the classifier, texts naming a relative count as family history and the rest as social history.
 */
export function mtsLabelToSection(label: string, text: string): SectionType {
  switch (label) {
    case 'GENHX': return 'history_of_present_illness';
    case 'FAM/SOCHX': return familyWord.test(text) ? 'family_history' : 'social_history';
    case 'PASTMEDICALHX': return 'past_medical_history';
    case 'CC': return 'chief_complaint';
    case 'PASTSURGICAL': return 'past_surgical_history';
    case 'ALLERGY': return 'allergies';
    case 'ROS': return 'review_of_systems';
    case 'MEDICATIONS': return 'medications';
    case 'ASSESSMENT': return 'assessment';
    case 'EXAM': return 'physical_exam';
    case 'DIAGNOSIS': return 'diagnoses';
    case 'DISPOSITION': return 'disposition';
    case 'PLAN': return 'plan';
    case 'EDCOURSE': return 'hospital_course';
    case 'IMMUNIZATIONS': return 'immunizations';
    case 'IMAGING': return 'imaging';
    case 'GYNHX': return 'obstetric_gynecologic_history';
    case 'PROCEDURES': return 'procedures';
    case 'OTHER_HISTORY': return 'other_history';
    case 'LABS': return 'results';
    default: throw new Error(`Unknown MTS-Dialog section label ${label}`);
  }
}

/** The MTS-Dialog label a canonical section type corresponds to. */
export function mtsSectionLabel(type: SectionType): string {
  switch (type) {
    case 'history_of_present_illness':
    case 'subjective':
      return 'GENHX';
    case 'family_history':
    case 'social_history':
      return 'FAM/SOCHX';
    case 'past_medical_history': return 'PASTMEDICALHX';
    case 'chief_complaint': return 'CC';
    case 'past_surgical_history': return 'PASTSURGICAL';
    case 'allergies': return 'ALLERGY';
    case 'review_of_systems': return 'ROS';
    case 'medications': return 'MEDICATIONS';
    case 'assessment':
    case 'assessment_and_plan':
      return 'ASSESSMENT';
    case 'physical_exam':
    case 'vital_signs':
    case 'objective':
      return 'EXAM';
    case 'diagnoses': return 'DIAGNOSIS';
    case 'disposition': return 'DISPOSITION';
    case 'plan':
    case 'instructions':
      return 'PLAN';
    case 'hospital_course': return 'EDCOURSE';
    case 'immunizations': return 'IMMUNIZATIONS';
    case 'imaging': return 'IMAGING';
    case 'obstetric_gynecologic_history': return 'GYNHX';
    case 'procedures': return 'PROCEDURES';
    case 'results': return 'LABS';
    case 'other_history':
    case 'other':
      return 'OTHER_HISTORY';
  }
}

export interface AciNote {
  id: string;
  text: string;
}

/** ACI-BENCH `NAME.csv` (dataset, encounter_id, dialogue, note). */
export function readAciNotes(dir: string, split: string): AciNote[] {
  return readCsvObjects(path.join(dir, `${split}.csv`)).map((r) => ({ id: r.encounter_id ?? '', text: r.note ?? '' }));
}

export const aciGroups = ['subjective', 'objective_exam', 'objective_results', 'assessment_and_plan'] as const;
export type AciGroup = (typeof aciGroups)[number];

/** Gold division of each note: `sections/NAME_GROUP.json` hold, per note, the text of that group. */
export function readAciGold(dir: string, split: string): Map<string, Record<AciGroup, string>> {
  const gold = new Map<string, Record<AciGroup, string>>();
  for (const group of aciGroups) {
    const file = path.join(dir, 'sections', `${split}_${group}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { data: Array<{ tgt: string; file: string }> };
    for (const item of data.data) {
      const id = item.file.split('-')[0]!;
      const entry = gold.get(id) ?? { subjective: '', objective_exam: '', objective_results: '', assessment_and_plan: '' };
      entry[group] = item.tgt;
      gold.set(id, entry);
    }
  }
  return gold;
}

/**
 * ACI-BENCH's four divisions of a canonical section. Vital signs have no division of their own there: they
 * belong to the division they are written in (a VITALS block before the exam is subjective, "VITALS REVIEWED"
 * inside the exam is exam), so they return null and inherit from the preceding section.
 */
export function aciGroupOf(type: SectionType): AciGroup | null {
  switch (type) {
    case 'vital_signs':
      return null;
    case 'physical_exam':
    case 'objective':
      return 'objective_exam';
    case 'results':
    case 'imaging':
      return 'objective_results';
    case 'assessment':
    case 'plan':
    case 'assessment_and_plan':
    case 'diagnoses':
    case 'instructions':
    case 'disposition':
    case 'procedures':
    case 'hospital_course':
      return 'assessment_and_plan';
    default:
      return 'subjective';
  }
}
