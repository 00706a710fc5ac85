import type { ImageType } from './sniff.ts';

/** Identifiers and encoding facts of a DICOM instance. No patient demographics are read. */
export interface DicomInfo {
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  sopInstanceUid: string | null;
  modality: string | null;
  /** Why the study was ordered, from the request attributes (see dicom.ts); null when the file does not say. */
  indication: string | null;
  transferSyntaxUid: string;
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  /** Frames in the instance; only the first is decoded. */
  frames: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /**
   * The VOI window applied to reach display values: from the file; else the stored range for 8-bit unscaled data;
   * else the frame's pixel range. Null for colour and JPEG pixel data (no windowing).
   */
  window: { center: number; width: number; source: 'file' | 'stored-range' | 'pixel-range' } | null;
}

/**
 * An image ready for display and scoring: 8-bit greyscale display values, row-major, 0 = black.
 * DICOM modality values have already been rescaled, windowed and (for MONOCHROME1) inverted.
 */
export interface DecodedImage {
  format: ImageType;
  width: number;
  height: number;
  pixels: Uint8Array;
  dicom: DicomInfo | null;
}
