-- Coder review: each submission of decisions for a note creates a new version of its final code set.
CREATE TABLE code_reviews (
  id                uuid PRIMARY KEY,
  note_id           uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  patient_id        uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  version           integer NOT NULL,
  code_set_version  text NOT NULL,
  ranker_version    text,
  final_codes       jsonb NOT NULL,
  finalized         boolean NOT NULL DEFAULT true,
  actor_key_id      uuid,
  actor_label       text NOT NULL,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (note_id, version)
);
CREATE INDEX code_reviews_created_idx ON code_reviews (created_at, id);

-- One row per decision on a suggestion (accept, reject, replace) or a code the engine missed (add).
-- Kept as training signal for the ranker (`clinote icd10 learn`).
CREATE TABLE code_decisions (
  id              uuid PRIMARY KEY,
  review_id       uuid NOT NULL REFERENCES code_reviews (id) ON DELETE CASCADE,
  note_id         uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  action          text NOT NULL CHECK (action IN ('accept', 'reject', 'replace', 'add')),
  suggested_code  text,
  final_code      text,
  reason          text,
  suggested_score real,
  created_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX code_decisions_note_idx ON code_decisions (note_id);
