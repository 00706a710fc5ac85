-- Foundation: patients, notes, API keys, audit trail and job bookkeeping.
-- Timestamps keep milliseconds, the precision of JavaScript dates, so keyset cursors round-trip exactly.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE patients (
  id          uuid PRIMARY KEY,
  mrn         text NOT NULL UNIQUE,
  name        text,
  birth_date  date,
  sex         text CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX patients_name_idx ON patients (lower(name) text_pattern_ops);
CREATE INDEX patients_created_idx ON patients (created_at, id);

CREATE TABLE notes (
  id                 uuid PRIMARY KEY,
  patient_id         uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  kind               text NOT NULL,
  author             text NOT NULL,
  authored_at        timestamptz(3) NOT NULL,
  source             text NOT NULL CHECK (source IN ('typed', 'dictation', 'import')),
  text               text NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending', 'processing', 'processed', 'failed')),
  -- The pipeline version the note should be processed with, and the one it last was.
  pipeline_version   text NOT NULL,
  processed_version  text,
  error              text,
  results            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  updated_at         timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX notes_patient_idx ON notes (patient_id, authored_at DESC, id);
-- The reconciler's scan: notes whose processing is not finished.
CREATE INDEX notes_unfinished_idx ON notes (created_at) WHERE status <> 'processed';

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  prefix        text NOT NULL UNIQUE,
  secret_hash   text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'doctor', 'coder', 'clinician', 'radiologist')),
  label         text NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at  timestamptz(3),
  revoked_at    timestamptz(3)
);

CREATE TABLE audit_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz(3) NOT NULL DEFAULT now(),
  actor_key_id   uuid,
  actor_label    text NOT NULL,
  actor_role     text NOT NULL,
  action         text NOT NULL,
  patient_id     uuid,
  resource_type  text NOT NULL,
  resource_id    text,
  request_id     text,
  detail         jsonb
);
CREATE INDEX audit_patient_idx ON audit_events (patient_id, at);
CREATE INDEX audit_actor_idx ON audit_events (actor_key_id, at);
CREATE INDEX audit_at_idx ON audit_events (at);

-- Job bookkeeping lives in the database (the source of truth); Redis only delivers.
CREATE TABLE jobs (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  status         text NOT NULL CHECK (status IN ('queued', 'active', 'completed', 'failed')),
  resource_type  text,
  resource_id    text,
  attempts       integer NOT NULL DEFAULT 0,
  error          text,
  request_id     text,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  finished_at    timestamptz(3)
);
CREATE INDEX jobs_resource_idx ON jobs (resource_type, resource_id);
