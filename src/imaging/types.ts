/** Record types the imaging repository, its services and its doors share (the repository imports only these). */

export type ImageFormat = 'png' | 'jpeg' | 'dicom';
export type ImageStatus = 'pending' | 'processing' | 'triaged' | 'failed';
export type TriagePriority = 'urgent' | 'routine' | 'unreadable';
export type ReadAgreement = 'agree' | 'disagree';

/** DICOM identifiers recorded at intake (null for PNG/JPEG). */
export interface ImageDicomIds {
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  modality: string | null;
}

/** The stored outcome of triage by one model: an ordering aid for the worklist, not a diagnosis. */
export interface ImageTriage {
  modelId: string;
  modelVersion: string;
  threshold: number;
  priority: TriagePriority;
  /** Null when the image was unreadable (not scored). */
  score: number | null;
  label: string | null;
  probabilities: Record<string, number> | null;
  /** The quality gate's report (issues and grey-level statistics). */
  quality: Record<string, unknown>;
  heatmapPath: string | null;
}

export interface NewImage {
  patientId: string;
  contentSha256: string;
  storagePath: string;
  thumbnailPath: string | null;
  format: ImageFormat;
  byteSize: number;
  width: number;
  height: number;
  dicom: ImageDicomIds | null;
  /** Why the study was ordered (normalised, at most 500 characters), or null. */
  indication: string | null;
  uploadedBy: string;
}

export interface ImageRecord extends NewImage {
  id: string;
  receivedAt: Date;
  status: ImageStatus;
  /** The latest triage, or null before the first one finished. */
  triage: ImageTriage | null;
  triagedAt: Date | null;
  error: string | null;
  readAt: Date | null;
  updatedAt: Date;
}

/** What a reader saw of the triage when reading (null fields when there was none yet). */
export interface SeenTriage {
  modelId: string | null;
  modelVersion: string | null;
  priority: TriagePriority | null;
  score: number | null;
  label: string | null;
}

export interface ImageRead {
  id: string;
  imageId: string;
  readerKeyId: string | null;
  readerLabel: string;
  agreement: ReadAgreement | null;
  comment: string | null;
  seen: SeenTriage;
  readAt: Date;
}

export type WorklistStatus = 'unread' | 'read' | 'all';

export interface WorklistItem extends ImageRecord {
  mrn: string;
  /** Shown beside the MRN so a reader can tell patients apart at a glance. */
  patientName: string | null;
}

export interface NewImageRead {
  imageId: string;
  reader: { keyId: string | null; label: string };
  agreement: ReadAgreement | null;
  comment: string | null;
}

/** One read set against the triage it judged: the feedback the next model is trained and validated with. */
export interface TriageFeedback extends ImageRead {
  patientId: string;
  contentSha256: string;
  format: ImageFormat;
  modality: string | null;
}

export interface FeedbackFilter {
  /** Reads at or after this time. */
  since?: Date | undefined;
  /** Reads before this time. */
  until?: Date | undefined;
}

/** The uploaded file and what came with it. */
export interface ImageUpload {
  patientId: string;
  bytes: Uint8Array;
  /** The indication given at upload (already normalised), or null: DICOM then falls back to its own. */
  indication: string | null;
  uploadedBy: string;
  requestId: string | null;
}

/** What an upload stored: the image (new, or the patient's existing one for the same file) and its triage job. */
export interface StoredUpload {
  image: ImageRecord;
  created: boolean;
  jobId: string;
}

/** A stored file of an image: where it is and how to send it. */
export interface ImageFile {
  /** Relative to the data folder, as the image store handed it out. */
  path: string;
  contentType: string;
  /** The name to download it as (originals only). */
  fileName?: string;
}

/** Who records or takes back a read. */
export interface Reader {
  keyId: string | null;
  label: string;
}
