/**
 * A minimal DICOM Part 10 encoder for tests: builds files with the exact encodings the decoder must handle
 * (implicit/explicit VR, little/big endian, deflated, encapsulated JPEG), so tests need no binary fixtures.
 */
import { deflateRawSync } from 'node:zlib';

export const ExplicitLittleEndian = '1.2.840.10008.1.2.1';
export const ImplicitLittleEndian = '1.2.840.10008.1.2';
export const ExplicitBigEndian = '1.2.840.10008.1.2.2';
export const DeflatedExplicitLittleEndian = '1.2.840.10008.1.2.1.99';
export const JpegBaseline = '1.2.840.10008.1.2.4.50';

type Value = string | number[] | Uint8Array | Uint16Array;

export interface DicomElement {
  /** (group << 16) | element, e.g. 0x00280010 for Rows. */
  tag: number;
  vr: string;
  value: Value;
}

/** Encapsulated pixel data (one fragment per frame, empty basic offset table). */
export interface EncapsulatedPixelData {
  tag: 0x7fe00010;
  vr: 'OB';
  fragments: Uint8Array[];
}

const longLengthVrs = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly littleEndian: boolean) {}

  bytes(data: Uint8Array): void {
    this.chunks.push(data);
  }
  u16(value: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, this.littleEndian);
    this.chunks.push(b);
  }
  u32(value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, this.littleEndian);
    this.chunks.push(b);
  }
  result(): Uint8Array {
    return concat(this.chunks);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function encodeValue(vr: string, value: Value, littleEndian: boolean): Uint8Array {
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    if (bytes.length % 2 === 0) return bytes;
    // Even length: UIDs pad with NUL, other strings with a space.
    return concat([bytes, new Uint8Array([vr === 'UI' ? 0 : 0x20])]);
  }
  if (value instanceof Uint8Array) return value.length % 2 === 0 ? value : concat([value, new Uint8Array(1)]);
  const width = value instanceof Uint16Array || vr === 'US' ? 2 : vr === 'UL' ? 4 : 0;
  if (width === 0) throw new Error(`No numeric encoding for VR ${vr}`);
  const out = new Uint8Array(value.length * width);
  const view = new DataView(out.buffer);
  value.forEach((v: number, i: number) =>
    width === 2 ? view.setUint16(i * 2, v, littleEndian) : view.setUint32(i * 4, v, littleEndian),
  );
  return out;
}

function writeElement(w: ByteWriter, element: DicomElement, explicit: boolean, littleEndian: boolean): void {
  const data = encodeValue(element.vr, element.value, littleEndian);
  w.u16(element.tag >>> 16);
  w.u16(element.tag & 0xffff);
  if (!explicit) {
    w.u32(data.length);
  } else if (longLengthVrs.has(element.vr)) {
    w.bytes(new TextEncoder().encode(element.vr));
    w.u16(0);
    w.u32(data.length);
  } else {
    w.bytes(new TextEncoder().encode(element.vr));
    w.u16(data.length);
  }
  w.bytes(data);
}

function writeEncapsulated(w: ByteWriter, pixel: EncapsulatedPixelData): void {
  w.u16(0x7fe0);
  w.u16(0x0010);
  w.bytes(new TextEncoder().encode('OB'));
  w.u16(0);
  w.u32(0xffffffff);
  const item = (data: Uint8Array) => {
    w.u16(0xfffe);
    w.u16(0xe000);
    const padded = data.length % 2 === 0 ? data : concat([data, new Uint8Array(1)]);
    w.u32(padded.length);
    w.bytes(padded);
  };
  item(new Uint8Array(0)); // empty basic offset table
  pixel.fragments.forEach(item);
  w.u16(0xfffe);
  w.u16(0xe0dd);
  w.u32(0);
}

/** The value of a sequence (SQ) element: items of defined length, encoded in the data set's transfer syntax. */
export function sequenceValue(items: DicomElement[][], transferSyntaxUid: string = ExplicitLittleEndian): Uint8Array {
  const explicit = transferSyntaxUid !== ImplicitLittleEndian;
  const littleEndian = transferSyntaxUid !== ExplicitBigEndian;
  const w = new ByteWriter(littleEndian);
  for (const item of items) {
    const body = new ByteWriter(littleEndian);
    for (const element of [...item].sort((a, b) => a.tag - b.tag)) writeElement(body, element, explicit, littleEndian);
    const bytes = body.result();
    w.u16(0xfffe);
    w.u16(0xe000);
    w.u32(bytes.length);
    w.bytes(bytes);
  }
  return w.result();
}

/**
 * Encodes a Part 10 file: preamble, "DICM", explicit-VR-LE file meta group, then the data set in the transfer syntax.
 * `deflate` replaces the raw deflate of a deflated transfer syntax (bomb tests append blocks of their own).
 */
export function encodeDicomPart10(
  transferSyntaxUid: string,
  elements: DicomElement[],
  pixelData?: EncapsulatedPixelData,
  deflate: (dataSet: Uint8Array) => Uint8Array = (dataSet) => deflateRawSync(dataSet),
): Uint8Array {
  const sopClass = elements.find((e) => e.tag === 0x00080016)?.value ?? '1.2.840.10008.5.1.4.1.1.1.1';
  const sopInstance = elements.find((e) => e.tag === 0x00080018)?.value ?? '1.2.3.4';
  const metaBody = new ByteWriter(true);
  for (const element of [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClass },
    { tag: 0x00020003, vr: 'UI', value: sopInstance },
    { tag: 0x00020010, vr: 'UI', value: transferSyntaxUid },
    { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
  ]) {
    writeElement(metaBody, element, true, true);
  }
  const metaBytes = metaBody.result();
  const meta = new ByteWriter(true);
  writeElement(meta, { tag: 0x00020000, vr: 'UL', value: [metaBytes.length] }, true, true);
  meta.bytes(metaBytes);

  const explicit = transferSyntaxUid !== ImplicitLittleEndian;
  const littleEndian = transferSyntaxUid !== ExplicitBigEndian;
  const body = new ByteWriter(littleEndian);
  for (const element of [...elements].sort((a, b) => a.tag - b.tag)) writeElement(body, element, explicit, littleEndian);
  if (pixelData) writeEncapsulated(body, pixelData);
  let dataSet = body.result();
  if (transferSyntaxUid === DeflatedExplicitLittleEndian) dataSet = deflate(dataSet);

  const preamble = new Uint8Array(132);
  preamble.set(new TextEncoder().encode('DICM'), 128);
  return concat([preamble, meta.result(), dataSet]);
}

export interface TestImageSpec {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  /** Stored values, row-major. */
  pixels: Uint8Array | Uint16Array;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  window?: { center: number; width: number };
  modality?: string;
  transferSyntaxUid?: string;
  /** More elements of the data set (request attributes, descriptions …). */
  extraElements?: DicomElement[];
}

export const testUids = {
  study: '1.2.826.0.1.3680043.10.1.1',
  series: '1.2.826.0.1.3680043.10.1.1.2',
  instance: '1.2.826.0.1.3680043.10.1.1.2.3',
};

/** A single-frame greyscale radiograph instance with the UIDs in `testUids`. */
export function buildTestDicom(spec: TestImageSpec): Uint8Array {
  const elements: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.1.1' }, // Digital X-Ray Image Storage
    { tag: 0x00080018, vr: 'UI', value: testUids.instance },
    { tag: 0x00080060, vr: 'CS', value: spec.modality ?? 'DX' },
    { tag: 0x0020000d, vr: 'UI', value: testUids.study },
    { tag: 0x0020000e, vr: 'UI', value: testUids.series },
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: spec.photometric ?? 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [spec.rows] },
    { tag: 0x00280011, vr: 'US', value: [spec.columns] },
    { tag: 0x00280100, vr: 'US', value: [spec.bitsAllocated] },
    { tag: 0x00280101, vr: 'US', value: [spec.bitsStored ?? spec.bitsAllocated] },
    { tag: 0x00280102, vr: 'US', value: [(spec.bitsStored ?? spec.bitsAllocated) - 1] },
    { tag: 0x00280103, vr: 'US', value: [spec.signed ? 1 : 0] },
  ];
  if (spec.window) {
    elements.push({ tag: 0x00281050, vr: 'DS', value: String(spec.window.center) });
    elements.push({ tag: 0x00281051, vr: 'DS', value: String(spec.window.width) });
  }
  if (spec.rescaleIntercept !== undefined) elements.push({ tag: 0x00281052, vr: 'DS', value: String(spec.rescaleIntercept) });
  if (spec.rescaleSlope !== undefined) elements.push({ tag: 0x00281053, vr: 'DS', value: String(spec.rescaleSlope) });
  elements.push(...(spec.extraElements ?? []));
  elements.push({ tag: 0x7fe00010, vr: spec.bitsAllocated === 16 ? 'OW' : 'OB', value: spec.pixels });
  return encodeDicomPart10(spec.transferSyntaxUid ?? ExplicitLittleEndian, elements);
}
