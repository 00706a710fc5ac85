/**
 * Imaging as the doors use it: taking an upload in (decode, choose the model, store the file and its thumbnail,
 * record the image, decide whether it needs a triage job), reading images, their files and reads, recording and
 * taking back reads, and the radiologists' lists. The ports come in (Immich style), so HTTP, CLI and tests
 * share one flow; the rules stay in the domain modules beside it.
 */
import type { Database } from '../db/database.ts';
import type { Page, PageRequest } from '../db/page.ts';
import type { Runtime } from '../runtime.ts';
import { EmptyImageError, ImageFileNotFoundError, ImageNotFoundError, ImageNotTriagedError, NoReadToUndoError } from './errors.ts';
import type { DecodedImage } from './image.ts';
import { imageStore, type ImageStore } from './image-store.ts';
import { decodeImageOffThread, enqueueImageTriage, imageModels, imageTriageJobId } from './jobs.ts';
import type { ModelRegistry } from './registry.ts';
import {
  deleteOwnLatestImageRead,
  findImage,
  insertImage,
  insertImageRead,
  listImageReads,
  listPatientImages,
  listTriageFeedback,
  listWorklist,
} from './repository.ts';
import { renderThumbnail } from './thumbnail.ts';
import type {
  FeedbackFilter,
  ImageFile,
  ImageRead,
  ImageRecord,
  ImageUpload,
  Reader,
  ReadAgreement,
  StoredUpload,
  TriageFeedback,
  WorklistItem,
  WorklistStatus,
} from './types.ts';

/** What the imaging services work over. */
export interface ImagingPorts {
  db: Database;
  store: ImageStore;
  /** Decodes within the configured bounds and `maxBytes`; refusals are the typed intake errors. */
  decode(bytes: Uint8Array, maxBytes: number): Promise<DecodedImage>;
  /** The installed image models. */
  models(): Promise<ModelRegistry>;
  /** Enqueues the image's triage job; returns its id. */
  enqueueTriage(imageId: string, requestId: string | null): Promise<string>;
  /** The largest upload accepted, in bytes. */
  uploadLimit: number;
}

/** The ports of one process: its database, its data folder, its compute pool, its models and its queue. */
export const imagingPorts = (runtime: Runtime): ImagingPorts => ({
  db: runtime.db,
  store: imageStore(runtime.config.dataDir),
  decode: (bytes, maxBytes) => decodeImageOffThread(runtime, bytes, maxBytes),
  models: () => imageModels(runtime.config),
  enqueueTriage: (imageId, requestId) => enqueueImageTriage(runtime, imageId, requestId),
  uploadLimit: runtime.config.CLINOTE_IMAGE_LIMIT,
});

/** How long a radiologist may take back a read (a slip of the hand, noticed during the reading session). */
export const READ_UNDO_MINUTES = 60;

const ORIGINAL_TYPES = { png: ['image/png', 'png'], jpeg: ['image/jpeg', 'jpg'], dicom: ['application/dicom', 'dcm'] } as const;

export type ImageFileKind = 'original' | 'thumbnail' | 'heatmap';

/**
 * Where an image's file of this kind is stored and how to send it; throws ImageFileNotFoundError when the image
 * has none (yet). Checked before the file is read, so a request for a file that cannot exist records no access.
 */
export function imageFileOf(image: ImageRecord, kind: ImageFileKind): ImageFile {
  if (kind === 'original') {
    const [contentType, extension] = ORIGINAL_TYPES[image.format];
    return { path: image.storagePath, contentType, fileName: `${image.id}.${extension}` };
  }
  if (kind === 'thumbnail') {
    if (!image.thumbnailPath) throw new ImageFileNotFoundError('This image has no thumbnail.');
    return { path: image.thumbnailPath, contentType: 'image/png' };
  }
  if (!image.triage?.heatmapPath) throw new ImageFileNotFoundError('No heatmap: triage has not finished or the image was unreadable.');
  return { path: image.triage.heatmapPath, contentType: 'image/png' };
}

export class ImagingService {
  constructor(private readonly ports: ImagingPorts) {}

  /**
   * Takes an upload in. A file no model accepts is refused before anything is stored. The same file for the same
   * patient gives back the stored image; it is triaged again only when its triage is not from the model that
   * would triage it now. `onStored` runs once the image is recorded and before its job is enqueued (the upload's
   * audit row, so a queue failure cannot leave a stored image unaudited).
   */
  async upload(upload: ImageUpload, onStored: (image: ImageRecord, created: boolean) => Promise<void>): Promise<StoredUpload> {
    const { db, store } = this.ports;
    if (upload.bytes.length === 0) throw new EmptyImageError();
    const image = await this.ports.decode(upload.bytes, this.ports.uploadLimit);
    const registry = await this.ports.models();
    const model = registry.select(image);
    const original = await store.putOriginal(upload.bytes);
    const thumbnailPath = await store.putDerived(original.sha256, 'thumbnail', await renderThumbnail(image));
    const { dicom } = image;
    const { image: record, created } = await insertImage(db, {
      patientId: upload.patientId,
      contentSha256: original.sha256,
      storagePath: original.path,
      thumbnailPath,
      format: image.format,
      byteSize: upload.bytes.length,
      width: image.width,
      height: image.height,
      dicom: dicom && {
        studyInstanceUid: dicom.studyInstanceUid,
        seriesInstanceUid: dicom.seriesInstanceUid,
        sopInstanceUid: dicom.sopInstanceUid,
        modality: dicom.modality,
      },
      indication: upload.indication ?? dicom?.indication ?? null,
      uploadedBy: upload.uploadedBy,
    });
    await onStored(record, created);
    const upToDate = record.status === 'triaged' && record.triage?.modelId === model.manifest.id && record.triage.modelVersion === model.manifest.version;
    const jobId = upToDate ? imageTriageJobId(record.id, registry) : await this.ports.enqueueTriage(record.id, upload.requestId);
    return { image: record, created, jobId };
  }

  /** The image; throws ImageNotFoundError. */
  async get(id: string): Promise<ImageRecord> {
    const image = await findImage(this.ports.db, id);
    if (!image) throw new ImageNotFoundError();
    return image;
  }

  /** An image's reads, oldest first. */
  reads(imageId: string): Promise<ImageRead[]> {
    return listImageReads(this.ports.db, imageId);
  }

  /** The bytes of a stored file; throws ImageFileNotFoundError when the store has lost it. */
  async readFile(file: ImageFile): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = await this.ports.store.read(file.path);
    if (!bytes) throw new ImageFileNotFoundError('The stored file is missing.');
    return new Uint8Array(bytes);
  }

  /** A patient's images, newest first. */
  listForPatient(patientId: string, page: PageRequest): Promise<Page<ImageRecord>> {
    return listPatientImages(this.ports.db, patientId, page);
  }

  /**
   * Records a read with the triage it saw; an agreement needs a triage to agree with (ImageNotTriagedError).
   * Throws ImageNotFoundError when the image is gone.
   */
  async recordRead(id: string, reader: Reader, read: { agreement: ReadAgreement | null; comment: string | null }): Promise<{ image: ImageRecord; read: ImageRead }> {
    const image = await this.get(id);
    if (read.agreement && !image.triage) throw new ImageNotTriagedError();
    const recorded = await this.ports.db.transaction((tx) => insertImageRead(tx, { imageId: id, reader, agreement: read.agreement, comment: read.comment }));
    if (!recorded) throw new ImageNotFoundError();
    return { image, read: recorded };
  }

  /** Takes back the reader's own latest read from the last READ_UNDO_MINUTES; NoReadToUndoError when there is none. */
  async undoRead(id: string, reader: Reader, now = new Date()): Promise<{ image: ImageRecord; read: ImageRead }> {
    const image = await this.get(id);
    const { keyId } = reader;
    const since = new Date(now.getTime() - READ_UNDO_MINUTES * 60_000);
    const read = keyId ? await this.ports.db.transaction((tx) => deleteOwnLatestImageRead(tx, id, keyId, since)) : undefined;
    if (!read) throw new NoReadToUndoError(READ_UNDO_MINUTES);
    return { image, read };
  }

  /** The reading worklist: urgent first, then oldest first. */
  worklist(status: WorklistStatus, page: PageRequest): Promise<Page<WorklistItem>> {
    return listWorklist(this.ports.db, status, page);
  }

  /** Reads with the triage they judged, in read order. */
  feedback(filter: FeedbackFilter, page: PageRequest): Promise<Page<TriageFeedback>> {
    return listTriageFeedback(this.ports.db, filter, page);
  }
}

/** The imaging service over this process's ports. */
export const imagingService = (runtime: Runtime) => new ImagingService(imagingPorts(runtime));
