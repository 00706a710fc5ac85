/**
 * Decompression bombs for tests and the bomb bench: small files that would expand enormously if decoded
 * without bounds. Built without ever materialising the expanded content.
 */
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { DeflatedExplicitLittleEndian, encodeDicomPart10, testUids, type DicomElement } from './dicom-writer.ts';

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, body, crc]);
}

/** A tiny, valid-looking 8-bit greyscale PNG whose header declares `width` × `height`: a pixel bomb. */
export function pngBomb(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1000))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const CHUNK = 1024 * 1024;

/**
 * A deflated-explicit-VR DICOM file whose data set inflates to about `inflatedBytes` of zero pixel data. By default
 * it declares the square 8-bit image those bytes would fill; `declaredSide` declares a small image instead (the
 * rest passes for further frames), so only the decompressed-size cap can stop it. Full-flush deflate blocks are
 * byte-aligned and self-contained, so one compressed 1 MiB block of zeros is repeated instead of compressing the whole
 * expansion: 1 GiB inflated costs about 1 MB of file and no 1 GiB buffer.
 */
export function deflateBombDicom(inflatedBytes: number, options: { declaredSide?: number } = {}): Uint8Array {
  const side = options.declaredSide ?? Math.min(65535, Math.floor(Math.sqrt(inflatedBytes)));
  const pixelBytes = Math.max(side * side, inflatedBytes) + (Math.max(side * side, inflatedBytes) % 2);
  const elements: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.1.1' },
    { tag: 0x00080018, vr: 'UI', value: testUids.instance },
    { tag: 0x00080060, vr: 'CS', value: 'DX' },
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [side] },
    { tag: 0x00280011, vr: 'US', value: [side] },
    { tag: 0x00280100, vr: 'US', value: [8] },
    { tag: 0x00280101, vr: 'US', value: [8] },
  ];
  // Pixel Data (7FE0,0010) OB with a 32-bit length, its value streamed as repeated zero blocks.
  const pixelHeader = Buffer.alloc(12);
  pixelHeader.writeUInt16LE(0x7fe0, 0);
  pixelHeader.writeUInt16LE(0x0010, 2);
  pixelHeader.write('OB', 4, 'latin1');
  pixelHeader.writeUInt32LE(pixelBytes, 8);
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  return encodeDicomPart10(DeflatedExplicitLittleEndian, elements, undefined, (dataSet) => {
    const parts = [deflateRawSync(Buffer.concat([dataSet, pixelHeader]), flush)];
    const zeros = deflateRawSync(Buffer.alloc(CHUNK), flush);
    for (let i = 0; i < Math.floor(pixelBytes / CHUNK); i++) parts.push(zeros);
    if (pixelBytes % CHUNK) parts.push(deflateRawSync(Buffer.alloc(pixelBytes % CHUNK), flush));
    parts.push(Buffer.from([0x03, 0x00])); // an empty final block ends the stream
    return Buffer.concat(parts);
  });
}
