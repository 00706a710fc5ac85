-- Idempotent submits: the first answer to a request sent with an Idempotency-Key header, per API key and key
-- value, kept 24 hours so a client that retries (a timeout, a reset) gets that answer again instead of a second
-- note or image. status is NULL while the first request is still running.
CREATE TABLE idempotency_keys (
  api_key_id       uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  -- SHA-256 of method, path and body: a retry must send the same request.
  request_sha256   text NOT NULL,
  status           integer CHECK (status BETWEEN 200 AND 299),
  response_body    text,
  response_type    text,
  location         text,
  started_at       timestamptz(3) NOT NULL DEFAULT now(),
  expires_at       timestamptz(3) NOT NULL,
  PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
