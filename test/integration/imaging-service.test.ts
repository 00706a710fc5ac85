import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/imaging/decode.ts';
import {
  EmptyImageError,
  ImageFileNotFoundError,
  ImageNotFoundError,
  ImageNotTriagedError,
  NoReadToUndoError,
  NoSuitableModelError,
} from '../../src/imaging/errors.ts';
import { imageStore, sha256Hex } from '../../src/imaging/image-store.ts';
import { imageTriageJobId, installedModelKeys } from '../../src/imaging/jobs.ts';
import type { ModelRegistry } from '../../src/imaging/registry.ts';
import { loadModelRegistry } from '../../src/imaging/registry-files.ts';
import { imageFileOf, ImagingService, type ImagingPorts } from '../../src/imaging/service.ts';
import { buildTestDicom } from '../../src/imaging/test-support/dicom-writer.ts';
import { writeTinyModel } from '../../src/imaging/test-support/tiny-model.ts';
import { moreImagesToTriageThan, reenqueueUntriagedImages, runImageTriage } from '../../src/imaging/triage-service.ts';
import type { ImageRecord, ImageUpload } from '../../src/imaging/types.ts';
import { createApiKey } from '../../src/access/api-keys-repository.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const NOBODY = '00000000-0000-4000-8000-000000000000';

/** A PNG ramping ±20 grey levels around `level`: the tiny model scores bright images urgent and dark ones routine. */
function greyPng(level: number, size = 32): Promise<Uint8Array> {
  const pixels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = level - 20 + Math.round((40 * x) / (size - 1));
  return sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer().then((b) => new Uint8Array(b));
}

describe.each(databaseBackends)('imaging services on $name', ({ create }) => {
  let t: TestDatabase;
  let scratch: string;
  let registry: ModelRegistry;
  let ports: ImagingPorts;
  let images: ImagingService;
  let patientId: string;
  /** What the services enqueued, and in which order against the upload's `onStored`. */
  let events: string[];

  beforeAll(async () => {
    t = await create();
    scratch = mkdtempSync(path.join(tmpdir(), 'clinote-imaging-service-'));
    writeTinyModel(path.join(scratch, 'models'));
    registry = await loadModelRegistry(path.join(scratch, 'models'), { threads: 1 });
    ports = {
      db: t.db,
      store: imageStore(path.join(scratch, 'data')),
      decode: (bytes, maxBytes) => decodeImage(bytes, { maxBytes }),
      models: async () => registry,
      enqueueTriage: async (imageId) => {
        events.push(`enqueue ${imageId}`);
        return `job-${imageId}`;
      },
      uploadLimit: 1_000_000,
    };
    images = new ImagingService(ports);
    patientId = (await registerPatient(t.db, { mrn: 'IMG-SVC' })).id;
  });
  beforeEach(() => {
    events = [];
  });
  afterAll(async () => {
    await registry?.close();
    await t?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const upload = (bytes: Uint8Array, extra: Partial<ImageUpload> = {}) =>
    images.upload({ patientId, bytes, indication: null, uploadedBy: 'Dr Upload', requestId: 'req-1', ...extra }, async (image, created) => {
      events.push(`stored ${image.id} ${created ? 'new' : 'again'}`);
    });

  it('stores an upload with its thumbnail, reports it before enqueueing its triage, and triages it once', async () => {
    const { image, created, jobId } = await upload(await greyPng(230), { indication: 'Cough and fever' });
    expect(created).toBe(true);
    expect(image).toMatchObject({ patientId, format: 'png', width: 32, height: 32, status: 'pending', indication: 'Cough and fever', uploadedBy: 'Dr Upload' });
    expect(events).toEqual([`stored ${image.id} new`, `enqueue ${image.id}`]);
    expect(jobId).toBe(`job-${image.id}`);
    const thumbnail = await images.readFile(imageFileOf(image, 'thumbnail'));
    expect((await sharp(thumbnail).metadata()).format).toBe('png');
    expect(Buffer.from(await images.readFile(imageFileOf(image, 'original')))).toEqual(Buffer.from(await greyPng(230)));
    expect(() => imageFileOf(image, 'heatmap')).toThrow(ImageFileNotFoundError);

    // Not triaged yet: the same file again is the same image, and its triage is asked for again.
    events = [];
    const again = await upload(await greyPng(230));
    expect(again).toMatchObject({ created: false, image: { id: image.id } });
    expect(events).toEqual([`stored ${image.id} again`, `enqueue ${image.id}`]);

    const outcome = await runImageTriage(ports, image.id, false);
    expect(outcome).toMatchObject({ done: 'triaged', modelId: 'tiny-brightness', modelVersion: '0.0.1-test' });
    const triaged = await images.get(image.id);
    expect(triaged).toMatchObject({ status: 'triaged', triage: { priority: 'urgent', label: 'nodule' } });
    expect((await sharp(await images.readFile(imageFileOf(triaged, 'heatmap'))).metadata()).format).toBe('png');
    // A duplicate job changes nothing.
    expect(await runImageTriage(ports, image.id, false)).toEqual({ done: 'nothing', why: 'image gone or already triaged with this model version' });
    expect((await images.get(image.id)).triagedAt).toEqual(triaged.triagedAt);

    // Triaged by the model that would triage it now: a third upload enqueues nothing and names the finished job.
    events = [];
    const third = await upload(await greyPng(230));
    expect(events).toEqual([`stored ${image.id} again`]);
    expect(third.jobId).toBe(imageTriageJobId(image.id, registry));
  });

  it('refuses an empty upload and a file no model accepts before storing anything', async () => {
    const before = (await images.listForPatient(patientId, { limit: 100 })).items.length;
    await expect(upload(new Uint8Array())).rejects.toBeInstanceOf(EmptyImageError);
    const pixels = new Uint8Array(16 * 16).fill(128);
    const ct = buildTestDicom({ rows: 16, columns: 16, bitsAllocated: 8, pixels, modality: 'CT' });
    await expect(upload(ct)).rejects.toBeInstanceOf(NoSuitableModelError);
    expect((await images.listForPatient(patientId, { limit: 100 })).items).toHaveLength(before);
    expect(events).toEqual([]);
    const stored = readdirSync(path.join(scratch, 'data', 'images'), { recursive: true }).map(String);
    expect(stored.some((f) => f.includes(sha256Hex(ct)))).toBe(false);
  });

  it('takes the indication from the DICOM request when the upload gives none', async () => {
    const pixels = new Uint8Array(16 * 16).fill(40);
    const reason = { tag: 0x00401002, vr: 'LO', value: 'Suspected pneumothorax' } as const;
    const dicom = buildTestDicom({ rows: 16, columns: 16, bitsAllocated: 8, pixels, modality: 'OT', extraElements: [reason] });
    expect((await upload(dicom)).image).toMatchObject({ format: 'dicom', dicom: { modality: 'OT' }, indication: 'Suspected pneumothorax' });
    // The upload's own indication wins (another file, as one patient's file is one image).
    const other = buildTestDicom({ rows: 16, columns: 16, bitsAllocated: 8, pixels: pixels.fill(60), modality: 'OT', extraElements: [reason] });
    expect((await upload(other, { indication: 'Chest pain' })).image.indication).toBe('Chest pain');
  });

  it('records reads against the triage seen, and lets only their reader take the latest back', async () => {
    const { image } = await upload(await greyPng(30));
    const dr = { keyId: null, label: 'Dr Nobody' };
    await expect(images.recordRead(image.id, dr, { agreement: 'agree', comment: null })).rejects.toBeInstanceOf(ImageNotTriagedError);
    await expect(images.recordRead(NOBODY, dr, { agreement: null, comment: null })).rejects.toBeInstanceOf(ImageNotFoundError);
    await runImageTriage(ports, image.id, false);

    const reader = { keyId: (await createApiKey(t.db, 'radiologist', 'Dr R')).key.id, label: 'Dr R' };
    const { read } = await images.recordRead(image.id, reader, { agreement: 'agree', comment: 'routine indeed' });
    expect(read).toMatchObject({ imageId: image.id, readerLabel: 'Dr R', agreement: 'agree', seen: { modelId: 'tiny-brightness', priority: 'routine' } });
    expect((await images.get(image.id)).readAt).toEqual(read.readAt);
    expect((await images.reads(image.id)).map((r) => r.id)).toEqual([read.id]);
    expect((await images.worklist('read', { limit: 100 })).items.map((i) => i.id)).toContain(image.id);
    expect((await images.feedback({}, { limit: 100 })).items.map((f) => f.id)).toContain(read.id);

    await expect(images.undoRead(image.id, dr)).rejects.toBeInstanceOf(NoReadToUndoError);
    // An hour and more later the read stands.
    await expect(images.undoRead(image.id, reader, new Date(Date.now() + 61 * 60_000))).rejects.toBeInstanceOf(NoReadToUndoError);
    expect((await images.undoRead(image.id, reader)).read.id).toBe(read.id);
    expect((await images.get(image.id)).readAt).toBeNull();
  });

  it('records a final failure on the image, and re-enqueues what has no finished triage', async () => {
    const { image } = await upload(await greyPng(100));
    // The stored file vanishes: earlier attempts leave the image to the retry, the last one records the failure.
    const lost: ImageRecord = { ...image, storagePath: `images/00/${'0'.repeat(64)}` };
    await t.db.query(`UPDATE images SET storage_path = $2 WHERE id = $1`, [image.id, lost.storagePath]);
    await expect(runImageTriage(ports, image.id, false)).rejects.toThrow('The stored image file is missing');
    expect((await images.get(image.id)).status).toBe('pending');
    await expect(runImageTriage(ports, image.id, true)).rejects.toThrow('The stored image file is missing');
    expect(await images.get(image.id)).toMatchObject({ status: 'failed', error: 'The stored image file is missing' });
    await expect(images.readFile(imageFileOf(lost, 'original'))).rejects.toBeInstanceOf(ImageFileNotFoundError);
    expect(await runImageTriage(ports, NOBODY, true)).toEqual({ done: 'nothing', why: 'image gone' });

    // Only the images uploaded here and never triaged are waiting (the failed one is left alone).
    const { image: waiting } = await upload(await greyPng(180));
    const installed = installedModelKeys(registry);
    events = [];
    const count = await reenqueueUntriagedImages(ports, installed, 1);
    expect(events).toContain(`enqueue ${waiting.id}`);
    expect(events).not.toContain(`enqueue ${image.id}`);
    expect(count).toBe(events.length);
    expect(await moreImagesToTriageThan(t.db, installed, count - 1)).toBe(true);
    expect(await moreImagesToTriageThan(t.db, installed, count)).toBe(false);
    // Triaged by a model version no longer installed and unread: triaged again.
    expect(await moreImagesToTriageThan(t.db, ['tiny-brightness@0.0.0-old'], count)).toBe(true);
  });
});
