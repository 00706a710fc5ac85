-- The clinical indication of an imaging study (why it was ordered), shown to the reader in the worklist beside the
-- patient's name. Given at upload or read from the DICOM request attributes; null when neither says. One line of at
-- most 500 characters (src/imaging/indication.ts); images uploaded before this migration have none.
ALTER TABLE images ADD COLUMN indication text CHECK (char_length(indication) <= 500);
