import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { checkPixelLimit, decodeRasterToGrey, type DecodeLimits } from './raster.ts';
import {
  CorruptImageError,
  ImageTooLargeError,
  TruncatedImageError,
  UnsupportedDicomImageError,
  UnsupportedTransferSyntaxError,
} from './errors.ts';
import type { DecodedImage, DicomInfo } from './image.ts';
import { normaliseIndication } from './indication.ts';

/** Transfer syntaxes whose pixel data we decode. JPEG lossless, JPEG-LS, JPEG 2000 and RLE are rejected explicitly. */
export const TransferSyntax = {
  implicitLittleEndian: '1.2.840.10008.1.2',
  explicitLittleEndian: '1.2.840.10008.1.2.1',
  deflatedExplicitLittleEndian: '1.2.840.10008.1.2.1.99',
  explicitBigEndian: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
} as const;

const nativeSyntaxes = new Set<string>([
  TransferSyntax.implicitLittleEndian,
  TransferSyntax.explicitLittleEndian,
  TransferSyntax.deflatedExplicitLittleEndian,
  TransferSyntax.explicitBigEndian,
]);

const Tag = {
  transferSyntaxUid: 'x00020010',
  sopInstanceUid: 'x00080018',
  modality: 'x00080060',
  studyInstanceUid: 'x0020000d',
  seriesInstanceUid: 'x0020000e',
  reasonForStudy: 'x00321030',
  requestAttributesSequence: 'x00400275',
  reasonForRequestedProcedure: 'x00401002',
  samplesPerPixel: 'x00280002',
  photometricInterpretation: 'x00280004',
  planarConfiguration: 'x00280006',
  numberOfFrames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  bitsAllocated: 'x00280100',
  bitsStored: 'x00280101',
  pixelRepresentation: 'x00280103',
  windowCenter: 'x00281050',
  windowWidth: 'x00281051',
  rescaleIntercept: 'x00281052',
  rescaleSlope: 'x00281053',
  pixelData: 'x7fe00010',
} as const;

/** Decodes the first frame of a DICOM Part 10 file to 8-bit display values (rescale → VOI window → MONOCHROME1 inversion). */
export async function decodeDicom(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedImage> {
  await refuseDeflateBomb(bytes, limits);
  const dataSet = parseDataSet(bytes, limits);
  const transferSyntaxUid = dataSet.string(Tag.transferSyntaxUid) ?? '';
  const pixelElement = dataSet.elements[Tag.pixelData];
  if (!pixelElement) throw new UnsupportedDicomImageError('DICOM file has no pixel data (not an image instance)');
  const rows = dataSet.uint16(Tag.rows);
  const columns = dataSet.uint16(Tag.columns);
  if (!rows || !columns) throw new UnsupportedDicomImageError('DICOM image has no rows/columns');
  checkPixelLimit(columns, rows, limits);

  const photometric = dataSet.string(Tag.photometricInterpretation) ?? 'MONOCHROME2';
  const bitsAllocated = dataSet.uint16(Tag.bitsAllocated) ?? 0;
  const info: DicomInfo = {
    studyInstanceUid: dataSet.string(Tag.studyInstanceUid) ?? null,
    seriesInstanceUid: dataSet.string(Tag.seriesInstanceUid) ?? null,
    sopInstanceUid: dataSet.string(Tag.sopInstanceUid) ?? null,
    modality: dataSet.string(Tag.modality) ?? null,
    indication: indicationOf(dataSet),
    transferSyntaxUid,
    photometricInterpretation: photometric,
    bitsAllocated,
    bitsStored: dataSet.uint16(Tag.bitsStored) ?? bitsAllocated,
    frames: Math.max(1, dataSet.intString(Tag.numberOfFrames) ?? 1),
    rescaleSlope: dataSet.floatString(Tag.rescaleSlope) ?? 1,
    rescaleIntercept: dataSet.floatString(Tag.rescaleIntercept) ?? 0,
    window: null,
  };

  if (transferSyntaxUid === TransferSyntax.jpegBaseline) {
    const frame = firstEncapsulatedFrame(dataSet, pixelElement, info.frames);
    const decoded = await decodeRasterToGrey(frame, limits);
    if (photometric === 'MONOCHROME1') invertInPlace(decoded.pixels);
    return { format: 'dicom', ...decoded, dicom: info };
  }
  if (!nativeSyntaxes.has(transferSyntaxUid)) throw new UnsupportedTransferSyntaxError(transferSyntaxUid || '(missing)');

  const pixels =
    photometric === 'RGB'
      ? rgbToGrey(dataSet, pixelElement, rows, columns)
      : monochromeToDisplay(dataSet, pixelElement, rows, columns, info);
  return { format: 'dicom', width: columns, height: rows, pixels, dicom: info };
}

/**
 * Why the study was ordered: Reason for the Requested Procedure (0040,1002), at the top level or in the Request
 * Attributes Sequence (0040,0275), else the retired Reason for Study (0032,1030). Study Description (0008,1030)
 * is not used: it names the procedure ("CHEST 2 VIEWS"), and a reader would take it for the indication.
 */
function indicationOf(dataSet: DataSet): string | null {
  const requests = dataSet.elements[Tag.requestAttributesSequence]?.items ?? [];
  const candidates = [
    dataSet.string(Tag.reasonForRequestedProcedure),
    ...requests.map((item) => item.dataSet?.string(Tag.reasonForRequestedProcedure)),
    dataSet.string(Tag.reasonForStudy),
  ];
  return normaliseIndication(candidates.find((text) => text?.trim()));
}

/**
 * For the deflated transfer syntax, measures what the data set inflates to before anything keeps it: a streaming
 * inflate that counts and discards its output (no buffer grows). It stops as soon as Rows × Columns, read from the
 * first inflated bytes (group 0028 comes early, the pixel data last), exceed the pixel cap, or once the output passes
 * `maxDecodedBytes`. A 1 MB file that would inflate to 1 GiB costs tens of milliseconds and holds nothing.
 */
async function refuseDeflateBomb(bytes: Uint8Array, { maxDecodedBytes, maxPixels }: DecodeLimits): Promise<void> {
  let meta: DataSet;
  try {
    meta = dicomParser.readPart10Header(bytes);
  } catch {
    return; // parseDataSet reports the broken header
  }
  if (meta.string(Tag.transferSyntaxUid) !== TransferSyntax.deflatedExplicitLittleEndian) return;
  // readPart10Header leaves the position just past the file meta group, where the deflated data set starts.
  const compressed = bytes.subarray((meta as DataSet & { position: number }).position);
  const refusal = await new Promise<ImageTooLargeError | undefined>((resolve) => {
    let total = 0;
    const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
    const stop = (error: ImageTooLargeError) => {
      inflater.destroy();
      resolve(error);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (total === 0) {
        const head = chunk.subarray(0, 64 * 1024);
        const rows = explicitLittleEndianUs(head, 0x0010);
        const columns = explicitLittleEndianUs(head, 0x0011);
        if (rows !== undefined && columns !== undefined && rows * columns > maxPixels) return stop(new ImageTooLargeError('pixels', rows * columns, maxPixels));
      }
      total += chunk.length;
      if (total > maxDecodedBytes) stop(new ImageTooLargeError('decompressed bytes', total, maxDecodedBytes));
    });
    inflater.on('end', () => resolve(undefined));
    inflater.on('error', () => resolve(undefined)); // a broken stream is reported by parseDataSet, with its kind
    inflater.end(compressed);
  });
  if (refusal) throw refusal;
}

/** The value of (0028,element) encoded as explicit-VR little-endian US with length 2, if present in `bytes`. */
function explicitLittleEndianUs(bytes: Uint8Array, element: number): number | undefined {
  for (let i = 0; i + 10 <= bytes.length; i++) {
    if (bytes[i] === 0x28 && bytes[i + 1] === 0 && bytes[i + 2] === element && bytes[i + 3] === 0 && bytes[i + 4] === 0x55 && bytes[i + 5] === 0x53 && bytes[i + 6] === 2 && bytes[i + 7] === 0) {
      return bytes[i + 8]! | (bytes[i + 9]! << 8);
    }
  }
  return undefined;
}

function parseDataSet(bytes: Uint8Array, { maxDecodedBytes }: DecodeLimits): DataSet {
  try {
    return dicomParser.parseDicom(bytes, {
      // Inflate ourselves, with an output cap: a deflated data set is the one place where a small upload can
      // expand without bound (1 MB of zeros inflates to 1 GiB), so inflation stops at the limit.
      inflater: (array: Uint8Array, position: number) => {
        // Measured first (refuseDeflateBomb); the cap here is the backstop that makes the bound hold regardless.
        const inflated = inflateCapped(array.subarray(position), maxDecodedBytes);
        const full = new Uint8Array(position + inflated.length);
        full.set(array.subarray(0, position), 0);
        full.set(inflated, position);
        return full;
      },
    });
  } catch (error) {
    if (error instanceof ImageTooLargeError) throw error;
    const message = dicomParserMessage(error);
    if (/overread|overrun|past end|eof|end of buffer|unexpected end|incorrect header/i.test(message)) {
      throw new TruncatedImageError(`DICOM data ends early (${message})`);
    }
    throw new CorruptImageError(`Invalid DICOM file (${message})`);
  }
}

/** Raw-deflate inflation that gives up once the output would exceed `maxBytes` (zlib stops producing at the cap). */
export function inflateCapped(compressed: Uint8Array, maxBytes: number): Buffer {
  try {
    // 256 KiB output chunks: zlib's 16 KiB default makes thousands of small buffers, and inflating up to the cap
    // took seconds instead of tens of milliseconds.
    return inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxBytes), chunkSize: 256 * 1024 });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageTooLargeError('decompressed bytes', maxBytes + 1, maxBytes);
    }
    throw error;
  }
}

/** dicom-parser throws strings, Errors, or `{ exception, dataSet }` wrappers. */
function dicomParserMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'exception' in error) return dicomParserMessage(error.exception);
  return String(error);
}

/** Bytes of the first frame after checking they are all present. */
function nativeFrameBytes(dataSet: DataSet, element: Element, frameBytes: number): Uint8Array {
  if (element.encapsulatedPixelData) throw new CorruptImageError('Encapsulated pixel data in a native transfer syntax');
  if (element.length < frameBytes) {
    throw new CorruptImageError(`Pixel data holds ${element.length} bytes, one frame needs ${frameBytes}`);
  }
  const available = dataSet.byteArray.length - element.dataOffset;
  if (available < frameBytes) throw new TruncatedImageError(`DICOM pixel data ends early (${available} of ${frameBytes} bytes)`);
  return dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + frameBytes);
}

function monochromeToDisplay(dataSet: DataSet, element: Element, rows: number, columns: number, info: DicomInfo): Uint8Array {
  if (!info.photometricInterpretation.startsWith('MONOCHROME')) {
    throw new UnsupportedDicomImageError(`Unsupported photometric interpretation ${info.photometricInterpretation}`);
  }
  const samples = dataSet.uint16(Tag.samplesPerPixel) ?? 1;
  if (samples !== 1) throw new UnsupportedDicomImageError(`MONOCHROME image with ${samples} samples per pixel`);
  const { bitsAllocated, bitsStored } = info;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new UnsupportedDicomImageError(`Unsupported bits allocated ${bitsAllocated}`);
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw new CorruptImageError(`Invalid bits stored ${bitsStored}`);

  const count = rows * columns;
  const raw = nativeFrameBytes(dataSet, element, count * (bitsAllocated / 8));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const littleEndian = info.transferSyntaxUid !== TransferSyntax.explicitBigEndian;
  const signed = dataSet.uint16(Tag.pixelRepresentation) === 1;
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const { rescaleSlope: slope, rescaleIntercept: intercept } = info;

  // Modality values (stored bits, sign-extended when signed, through the rescale) are computed on the fly in
  // both passes rather than kept: a Float64Array per pixel would be 8 bytes × the pixel cap.
  const modalityValue = (i: number) => {
    let stored = (bitsAllocated === 16 ? view.getUint16(i * 2, littleEndian) : raw[i]!) & mask;
    if (signed && stored & signBit) stored -= mask + 1;
    return stored * slope + intercept;
  };
  const values = { length: count, at: modalityValue };

  const fileCenter = dataSet.floatString(Tag.windowCenter, 0);
  const fileWidth = dataSet.floatString(Tag.windowWidth, 0);
  if (fileCenter !== undefined && fileWidth !== undefined && fileWidth >= 1) {
    info.window = { center: fileCenter, width: fileWidth, source: 'file' };
  } else if (bitsStored <= 8 && !signed && slope === 1 && intercept === 0) {
    // 8-bit display-ready data (secondary captures, converted films): show as stored rather than stretched.
    info.window = { center: 2 ** (bitsStored - 1), width: 2 ** bitsStored, source: 'stored-range' };
  } else {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const value = modalityValue(i);
      if (value < min) min = value;
      if (value > max) max = value;
    }
    info.window = { center: (min + max + 1) / 2, width: max - min + 1, source: 'pixel-range' };
  }

  const display = windowValues(values, info.window.center, info.window.width);
  if (info.photometricInterpretation === 'MONOCHROME1') invertInPlace(display);
  return display;
}

/** The DICOM linear VOI function (PS3.3 C.11.2.1.2.1) to 0..255. */
export function applyLinearWindow(values: ArrayLike<number>, center: number, width: number): Uint8Array {
  return windowValues({ length: values.length, at: (i) => values[i]! }, center, width);
}

function windowValues(values: { length: number; at: (i: number) => number }, center: number, width: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const lower = center - 0.5 - (width - 1) / 2;
  const upper = center - 0.5 + (width - 1) / 2;
  for (let i = 0; i < values.length; i++) {
    const x = values.at(i);
    if (x <= lower) out[i] = 0;
    else if (x > upper) out[i] = 255;
    else out[i] = Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
  }
  return out;
}

function rgbToGrey(dataSet: DataSet, element: Element, rows: number, columns: number): Uint8Array {
  if ((dataSet.uint16(Tag.bitsAllocated) ?? 0) !== 8 || (dataSet.uint16(Tag.samplesPerPixel) ?? 0) !== 3) {
    throw new UnsupportedDicomImageError('Only 8-bit, 3-sample RGB DICOM images are supported');
  }
  const count = rows * columns;
  const raw = nativeFrameBytes(dataSet, element, count * 3);
  const planar = dataSet.uint16(Tag.planarConfiguration) === 1;
  const grey = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const [r, g, b] = planar ? [raw[i]!, raw[count + i]!, raw[2 * count + i]!] : [raw[3 * i]!, raw[3 * i + 1]!, raw[3 * i + 2]!];
    grey[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return grey;
}

function firstEncapsulatedFrame(dataSet: DataSet, element: Element, frames: number): Uint8Array {
  if (!element.encapsulatedPixelData || !element.fragments?.length) {
    throw new CorruptImageError('JPEG transfer syntax without encapsulated pixel data fragments');
  }
  try {
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments.length);
    const offsets = element.basicOffsetTable?.length
      ? element.basicOffsetTable
      : dicomParser.createJPEGBasicOffsetTable(dataSet, element);
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, 0, offsets);
  } catch (error) {
    throw new TruncatedImageError(`DICOM pixel data fragments are incomplete (${dicomParserMessage(error)})`);
  }
}

function invertInPlace(pixels: Uint8Array): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i]!;
}
