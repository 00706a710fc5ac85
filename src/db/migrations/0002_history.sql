-- Patient history: searchable passages, structured facts and FHIR import bookkeeping.

-- Section-aware passages of every processed note. Each vector records the model that made it
-- (id + dimension), so a model change is detected and the passages are re-embedded.
CREATE TABLE history_passages (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id    uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  note_id       uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  ordinal       integer NOT NULL,
  note_date     timestamptz(3) NOT NULL,
  note_kind     text NOT NULL,
  section       text NOT NULL,
  -- Character offsets into the note text, end exclusive.
  start_offset  integer NOT NULL CHECK (start_offset >= 0),
  end_offset    integer NOT NULL CHECK (end_offset > start_offset),
  text          text NOT NULL,
  search_text   tsvector NOT NULL,
  -- Concept mentions inside the passage (offsets relative to it), from note structuring: for
  -- synonym/abbreviation highlights and the negation flag without re-reading the note at query time.
  mentions      jsonb NOT NULL DEFAULT '[]'::jsonb,
  embedding     vector,
  model_id      text,
  dimension     integer,
  CHECK ((embedding IS NULL) = (model_id IS NULL) AND (model_id IS NULL) = (dimension IS NULL)),
  UNIQUE (note_id, ordinal)
);
-- Per-patient search filters on the patient first (B-tree) and then ranks that patient's passages
-- exactly, as pgvector recommends for selective filters. The cross-patient HNSW index needs a fixed
-- dimension, which only the configured model knows: it is created per dimension at run time as a
-- partial expression index (src/repositories/history-passages.ts#ensureCohortIndex).
CREATE INDEX history_passages_patient_idx ON history_passages (patient_id, note_date DESC);
CREATE INDEX history_passages_search_idx ON history_passages USING gin (search_text);

-- Which embedding model every passage vector was made with once the last (re)index finished.
CREATE TABLE history_index_state (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  model_id    text NOT NULL,
  dimension   integer NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- A full re-embedding run; the cursor (last passage id done) lets an interrupted run resume.
CREATE TABLE history_reindex_runs (
  scope        text PRIMARY KEY,
  model_id     text NOT NULL,
  cursor       bigint NOT NULL DEFAULT 0,
  done         integer NOT NULL DEFAULT 0,
  started_at   timestamptz(3) NOT NULL DEFAULT now(),
  finished_at  timestamptz(3)
);

-- Structured facts per patient: from note structuring (linked to the note span they came from) or
-- from imported coded records (linked to the rendered note line and the source resource).
CREATE TABLE history_facts (
  id            uuid PRIMARY KEY,
  patient_id    uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  note_id       uuid NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  origin        text NOT NULL CHECK (origin IN ('note', 'fhir')),
  kind          text NOT NULL CHECK (kind IN ('problem', 'medication', 'allergy', 'vital', 'lab', 'observation', 'procedure', 'immunization')),
  -- Coded concept keys such as icd10:E11.9, snomed:44054006, rxnorm:860975, loinc:4548-4.
  codes         text[] NOT NULL DEFAULT '{}',
  display       text NOT NULL,
  status        text,
  negated       boolean NOT NULL DEFAULT false,
  uncertain     boolean NOT NULL DEFAULT false,
  historical    boolean NOT NULL DEFAULT false,
  hypothetical  boolean NOT NULL DEFAULT false,
  family        boolean NOT NULL DEFAULT false,
  value         double precision,
  unit          text,
  value_text    text,
  observed_at   timestamptz(3) NOT NULL,
  start_offset  integer NOT NULL CHECK (start_offset >= 0),
  end_offset    integer NOT NULL CHECK (end_offset >= start_offset),
  source_ref    text,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX history_facts_patient_idx ON history_facts (patient_id, kind, observed_at);
CREATE INDEX history_facts_note_idx ON history_facts (note_id);

-- What an import has loaded: one row per source unit (a patient, an encounter, a document) with a
-- hash of its content, so a re-import of unchanged data changes nothing.
CREATE TABLE history_imports (
  source_key    text PRIMARY KEY,
  patient_id    uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  note_id       uuid REFERENCES notes (id) ON DELETE SET NULL,
  content_hash  text NOT NULL,
  imported_at   timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX history_imports_patient_idx ON history_imports (patient_id);
