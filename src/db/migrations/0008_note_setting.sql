-- The care setting a note is coded for (ICD-10-CM Official Guidelines: uncertain diagnoses are coded as established
-- for inpatient admissions, Section II.H, and not for outpatient or ED encounters, Section IV.H). NULL: derived
-- from the note kind when the note is coded.
ALTER TABLE notes ADD COLUMN setting text CHECK (setting IN ('outpatient', 'ED', 'inpatient'));
