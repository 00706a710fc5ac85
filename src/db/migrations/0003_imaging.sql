-- Image triage: uploaded images (content-addressed files under the data directory), their triage by an
-- on-device model (a triage aid, not a diagnosis) and radiologists' reads of them.
CREATE TABLE images (
  id                   uuid PRIMARY KEY,
  patient_id           uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
  content_sha256       text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  -- Paths are relative to CLINOTE_DATA_DIR, so the data directory can move.
  storage_path         text NOT NULL,
  thumbnail_path       text,
  format               text NOT NULL CHECK (format IN ('png', 'jpeg', 'dicom')),
  byte_size            bigint NOT NULL CHECK (byte_size > 0),
  width                integer NOT NULL CHECK (width > 0),
  height               integer NOT NULL CHECK (height > 0),
  -- DICOM identifiers (null for PNG/JPEG); no demographics are read from the file.
  study_instance_uid   text,
  series_instance_uid  text,
  sop_instance_uid     text,
  modality             text,
  uploaded_by          text NOT NULL,
  received_at          timestamptz(3) NOT NULL DEFAULT now(),
  status               text NOT NULL CHECK (status IN ('pending', 'processing', 'triaged', 'failed')),
  -- The latest triage: which model (and version) produced it, and with what operating threshold.
  model_id             text,
  model_version        text,
  threshold            double precision,
  priority             text CHECK (priority IN ('urgent', 'routine', 'unreadable')),
  score                double precision,
  label                text,
  probabilities        jsonb,
  quality              jsonb,
  heatmap_path         text,
  triaged_at           timestamptz(3),
  error                text,
  -- The first radiologist read (reads are kept in image_reads); null while the image is on the unread worklist.
  read_at              timestamptz(3),
  updated_at           timestamptz(3) NOT NULL DEFAULT now(),
  -- Uploading the same file again for the same patient finds the same record.
  UNIQUE (patient_id, content_sha256)
);
CREATE INDEX images_patient_idx ON images (patient_id, received_at DESC, id);
-- The unread worklist: urgent first, then oldest first.
CREATE INDEX images_unread_worklist_idx ON images ((CASE WHEN priority = 'urgent' THEN 0 ELSE 1 END), received_at, id)
  WHERE read_at IS NULL;
-- The reconciler's scan: images whose triage has not finished.
CREATE INDEX images_untriaged_idx ON images (received_at, id) WHERE status IN ('pending', 'processing');

CREATE TABLE image_reads (
  id              uuid PRIMARY KEY,
  image_id        uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  reader_key_id   uuid,
  reader_label    text NOT NULL,
  -- Whether the reader agreed with the triage they were shown (null: no opinion given).
  agreement       text CHECK (agreement IN ('agree', 'disagree')),
  comment         text,
  -- The triage the reader saw, kept with the read so feedback survives a later re-triage by a new model.
  model_id        text,
  model_version   text,
  priority        text,
  score           double precision,
  label           text,
  read_at         timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX image_reads_image_idx ON image_reads (image_id, read_at, id);
CREATE INDEX image_reads_at_idx ON image_reads (read_at, id);
