-- Encounters: a patient's outpatient visit, ED visit or inpatient stay. Notes may belong to one; a note without
-- one is its own outpatient encounter. Coders review an encounter's codes as one claim.
CREATE TABLE encounters (
  id           uuid PRIMARY KEY,
  patient_id   uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  type         text NOT NULL CHECK (type IN ('outpatient', 'ED', 'inpatient')),
  -- Admission and discharge for inpatient stays; end is open while the encounter lasts.
  start_at     timestamptz(3) NOT NULL,
  end_at       timestamptz(3),
  external_id  text,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (end_at IS NULL OR end_at >= start_at)
);
CREATE INDEX encounters_patient_idx ON encounters (patient_id, start_at DESC, id);
CREATE UNIQUE INDEX encounters_external_idx ON encounters (patient_id, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE notes ADD COLUMN encounter_id uuid REFERENCES encounters (id) ON DELETE SET NULL;
CREATE INDEX notes_encounter_idx ON notes (encounter_id) WHERE encounter_id IS NOT NULL;

-- A review is of a note (its own encounter) or of an encounter; versions count per subject.
ALTER TABLE code_reviews ALTER COLUMN note_id DROP NOT NULL;
ALTER TABLE code_reviews ADD COLUMN encounter_id uuid REFERENCES encounters (id) ON DELETE CASCADE;
ALTER TABLE code_reviews ADD CONSTRAINT code_reviews_subject_check CHECK ((note_id IS NULL) <> (encounter_id IS NULL));
CREATE UNIQUE INDEX code_reviews_encounter_version_idx ON code_reviews (encounter_id, version) WHERE encounter_id IS NOT NULL;
-- Warnings the coder overrode for this version, each with its reason: [{"editId", "reason"}].
ALTER TABLE code_reviews ADD COLUMN overrides jsonb NOT NULL DEFAULT '[]'::jsonb;

-- "Leave out" is a decision too (not coded, not judged wrong); sequence and POA record the order and indicator.
ALTER TABLE code_decisions DROP CONSTRAINT code_decisions_action_check;
ALTER TABLE code_decisions ADD CONSTRAINT code_decisions_action_check CHECK (action IN ('accept', 'reject', 'replace', 'add', 'leave'));
ALTER TABLE code_decisions ADD COLUMN encounter_id uuid REFERENCES encounters (id) ON DELETE CASCADE;
ALTER TABLE code_decisions ADD COLUMN sequence integer;
ALTER TABLE code_decisions ADD COLUMN poa text CHECK (poa IN ('Y', 'N', 'U', 'W', 'exempt'));
CREATE INDEX code_decisions_encounter_idx ON code_decisions (encounter_id) WHERE encounter_id IS NOT NULL;
