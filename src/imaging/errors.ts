/**
 * Typed failures of image intake and model loading. Each carries a stable `code` so adapters (HTTP, CLI,
 * job worker) can map it to a response without parsing messages; messages never contain pixel or patient data.
 */

export type ImageIntakeErrorCode =
  | 'image_too_large'
  | 'unsupported_image_type'
  | 'truncated_image'
  | 'corrupt_image'
  | 'unsupported_transfer_syntax'
  | 'unsupported_dicom_image';

/** Base class of every reason an uploaded file cannot be turned into pixels. */
export abstract class ImageIntakeError extends Error {
  abstract readonly code: ImageIntakeErrorCode;
}

/**
 * The file, its pixel dimensions or its decompressed content exceed the configured limits (checked before decoding
 * the pixels; decompression stops at the limit).
 */
export class ImageTooLargeError extends ImageIntakeError {
  readonly code = 'image_too_large';
  constructor(
    readonly measure: 'bytes' | 'pixels' | 'decompressed bytes',
    readonly actual: number,
    readonly limit: number,
  ) {
    super(
      measure === 'decompressed bytes'
        ? `Decompressed image data exceeds the limit of ${limit} bytes`
        : `Image ${measure} ${actual} exceed the limit of ${limit}`,
    );
    this.name = 'ImageTooLargeError';
  }
}

/** Content sniffing found neither PNG, JPEG nor DICOM Part 10 (whatever the declared content type said). */
export class UnsupportedImageTypeError extends ImageIntakeError {
  readonly code = 'unsupported_image_type';
  constructor(message = 'Not a PNG, JPEG or DICOM Part 10 file') {
    super(message);
    this.name = 'UnsupportedImageTypeError';
  }
}

/** The file starts like a supported image but ends before its data does. */
export class TruncatedImageError extends ImageIntakeError {
  readonly code = 'truncated_image';
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedImageError';
  }
}

/** The file is of a supported type but its structure is invalid. */
export class CorruptImageError extends ImageIntakeError {
  readonly code = 'corrupt_image';
  constructor(message: string) {
    super(message);
    this.name = 'CorruptImageError';
  }
}

/** A DICOM file whose pixel data is encoded with a transfer syntax we cannot decode (e.g. JPEG 2000, JPEG-LS). */
export class UnsupportedTransferSyntaxError extends ImageIntakeError {
  readonly code = 'unsupported_transfer_syntax';
  constructor(readonly transferSyntaxUid: string) {
    super(`Unsupported DICOM transfer syntax ${transferSyntaxUid}`);
    this.name = 'UnsupportedTransferSyntaxError';
  }
}

/** A DICOM file without a decodable single image (no pixel data, unsupported bit depth or photometric interpretation). */
export class UnsupportedDicomImageError extends ImageIntakeError {
  readonly code = 'unsupported_dicom_image';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDicomImageError';
  }
}

/** An intake error as plain data, so it can cross a thread boundary (class identity does not) and be rebuilt. */
export interface ImageIntakeErrorData {
  readonly code: ImageIntakeErrorCode;
  readonly message: string;
  readonly measure?: ImageTooLargeError['measure'];
  readonly actual?: number;
  readonly limit?: number;
  readonly transferSyntaxUid?: string;
}

export function intakeErrorData(error: ImageIntakeError): ImageIntakeErrorData {
  if (error instanceof ImageTooLargeError) return { code: error.code, message: error.message, measure: error.measure, actual: error.actual, limit: error.limit };
  if (error instanceof UnsupportedTransferSyntaxError) return { code: error.code, message: error.message, transferSyntaxUid: error.transferSyntaxUid };
  return { code: error.code, message: error.message };
}

/** The typed error `intakeErrorData` described. */
export function intakeErrorFrom(data: ImageIntakeErrorData): ImageIntakeError {
  switch (data.code) {
    case 'image_too_large':
      return new ImageTooLargeError(data.measure ?? 'bytes', data.actual ?? 0, data.limit ?? 0);
    case 'unsupported_image_type':
      return new UnsupportedImageTypeError(data.message);
    case 'truncated_image':
      return new TruncatedImageError(data.message);
    case 'corrupt_image':
      return new CorruptImageError(data.message);
    case 'unsupported_transfer_syntax':
      return new UnsupportedTransferSyntaxError(data.transferSyntaxUid ?? '(missing)');
    case 'unsupported_dicom_image':
      return new UnsupportedDicomImageError(data.message);
  }
}

/** A `models/<id>/manifest.json` that claims to describe an image model but is invalid, or whose ONNX graph disagrees with it. */
export class ModelManifestError extends Error {
  constructor(
    readonly manifestPath: string,
    message: string,
  ) {
    super(`${manifestPath}: ${message}`);
    this.name = 'ModelManifestError';
  }
}

/** No registered model is suitable (unknown id, or no model accepts the image's DICOM modality). */
export class NoSuitableModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoSuitableModelError';
  }
}

/** An upload with no bytes in it. */
export class EmptyImageError extends Error {
  constructor() {
    super('The body is empty: send the image file.');
    this.name = 'EmptyImageError';
  }
}

/** No image with this id (never stored, or deleted). */
export class ImageNotFoundError extends Error {
  constructor() {
    super('No image with this id.');
    this.name = 'ImageNotFoundError';
  }
}

/** A file of an image that does not exist: not derived (yet), or gone from the store. */
export class ImageFileNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFileNotFoundError';
  }
}

/** An agreement sent for an image whose triage has not finished: there is nothing to agree with. */
export class ImageNotTriagedError extends Error {
  constructor() {
    super('The image has no triage result to agree or disagree with yet.');
    this.name = 'ImageNotTriagedError';
  }
}

/** An undo asked of a reader who has no read of the image recent enough to take back. */
export class NoReadToUndoError extends Error {
  constructor(readonly windowMinutes: number) {
    super(`You have no read of this image from the last ${windowMinutes} minutes to undo.`);
    this.name = 'NoReadToUndoError';
  }
}
