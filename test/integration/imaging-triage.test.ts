import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelLocations } from '../../src/config/paths.ts';
import { buildTestDicom } from '../../src/imaging/test-support/dicom-writer.ts';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { writeTinyModel } from '../../src/imaging/test-support/tiny-model.ts';
import { imageTriageHandler } from '../../workers/image-triage.ts';
import { createPgliteTestDatabase, databaseBackends, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';

const { modelsDir } = modelLocations();

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A models folder holding the committed chest X-ray model, optionally under another version. */
function modelsFolder(version?: string): string {
  const dir = tempDir('clinote-models-');
  const source = path.join(modelsDir, 'cxr-pneumonia');
  const target = path.join(dir, 'cxr-pneumonia');
  mkdirSync(target);
  const manifest = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8'));
  copyFileSync(path.join(source, manifest.onnx), path.join(target, manifest.onnx));
  writeFileSync(path.join(target, 'manifest.json'), JSON.stringify({ ...manifest, ...(version ? { version } : {}) }));
  return dir;
}

async function upload(api: TestApi, patientId: string, bytes: Uint8Array): Promise<string> {
  const res = await api.call('POST', `/v1/patients/${patientId}/images`, { role: 'doctor', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { imageId: string }).imageId;
}

const image = async (api: TestApi, id: string) => (await api.json('GET', `/v1/images/${id}`, { role: 'radiologist' })).body;

const triagedWith = (api: TestApi, id: string, version: string) =>
  waitFor(async () => {
    const body = await image(api, id);
    return body.status === 'triaged' && body.triage.modelVersion === version ? body : undefined;
  }, 30_000, `image triaged with ${version}`);

/** An 8-bit greyscale DICOM of a horizontal ramp between two grey levels. */
function rampDicom(from: number, to: number, modality: string): Uint8Array {
  const size = 32;
  const pixels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = Math.round(from + ((to - from) * x) / (size - 1));
  return buildTestDicom({ rows: size, columns: size, bitsAllocated: 8, pixels, modality });
}

describe.each(databaseBackends)('image triage reconciliation on $name', ({ create }) => {
  let t: TestDatabase;
  // Opening the database in a hook keeps PGlite's start-up (slow on a busy machine) out of the test's time budget.
  beforeAll(async () => {
    t = await create();
  });
  afterAll(() => t?.drop());

  it('triages images uploaded while no worker ran once a worker starts', async () => {
    const dataDir = tempDir('clinote-imaging-');
    const apiOnly = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir } });
    const patient = (await apiOnly.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'REC-1' } })).body;
    const ids = [await upload(apiOnly, patient.id, valPngs('normal', 1)[0]!.bytes), await upload(apiOnly, patient.id, valPngs('pneumonia', 1)[0]!.bytes)];
    expect((await image(apiOnly, ids[0]!)).status).toBe('pending');
    // The in-process queue loses its waiting jobs with the process.
    await apiOnly.close();

    const withWorkers = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir } });
    try {
      const [normal, pneumonia] = await Promise.all(ids.map((id) => triagedWith(withWorkers, id, '1.0.0')));
      expect([normal.triage.priority, pneumonia.triage.priority]).toEqual(['routine', 'urgent']);
      expect(withWorkers.runtime.logLines.some((l) => l.includes('reconciler re-enqueued untriaged images'))).toBe(true);
      // A duplicate or late run changes nothing; a run for a deleted image is a no-op.
      const handler = imageTriageHandler(withWorkers.runtime);
      const context = { jobId: 'duplicate', attempt: 1, final: true };
      await handler({ imageId: normal.id, requestId: null }, context);
      expect((await image(withWorkers, normal.id)).triage.triagedAt).toBe(normal.triage.triagedAt);
      await handler({ imageId: '00000000-0000-4000-8000-000000000000', requestId: null }, context);
    } finally {
      await withWorkers.close();
    }
  });
});

describe('image models from manifests', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createPgliteTestDatabase();
  });
  afterAll(() => t?.drop());

  it('re-triages unread images when a model version changes and routes other modalities to a different model by its manifest alone', async () => {
    const dataDir = tempDir('clinote-imaging-');
    const v1 = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir, CLINOTE_MODELS_DIR: modelsFolder() } });
    const patient = (await v1.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'MODELS-1' } })).body;
    const readId = await upload(v1, patient.id, valPngs('normal', 1)[0]!.bytes);
    const unreadId = await upload(v1, patient.id, valPngs('pneumonia', 1)[0]!.bytes);
    await Promise.all([triagedWith(v1, readId, '1.0.0'), triagedWith(v1, unreadId, '1.0.0')]);
    expect((await v1.json('POST', `/v1/images/${readId}/read`, { role: 'radiologist', body: { agreement: 'agree' } })).status).toBe(201);
    // An OT image: no installed model accepts that modality yet.
    expect((await v1.call('POST', `/v1/patients/${patient.id}/images`, { role: 'doctor', body: rampDicom(150, 255, 'OT'), headers: { 'content-type': 'application/dicom' } })).status).toBe(422);
    await v1.close();

    // A new version of the chest model, plus a second model (other input size, layout and labels) for modality OT.
    const upgradedModels = modelsFolder('1.1.0');
    writeTinyModel(upgradedModels);
    const v2 = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir, CLINOTE_MODELS_DIR: upgradedModels } });
    try {
      const retriaged = await triagedWith(v2, unreadId, '1.1.0');
      expect(retriaged.triage.priority).toBe('urgent');
      // The read image keeps the triage its reader judged.
      expect((await image(v2, readId)).triage.modelVersion).toBe('1.0.0');

      const bright = await upload(v2, patient.id, rampDicom(150, 255, 'OT'));
      const dark = await upload(v2, patient.id, rampDicom(0, 100, 'OT'));
      const blank = await upload(v2, patient.id, await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toBuffer());
      const [brightResult, darkResult, blankResult] = await Promise.all([
        triagedWith(v2, bright, '0.0.1-test'),
        triagedWith(v2, dark, '0.0.1-test'),
        triagedWith(v2, blank, '1.1.0'),
      ]);
      expect(brightResult.triage).toMatchObject({ modelId: 'tiny-brightness', priority: 'urgent', label: 'nodule', threshold: 0.5 });
      expect(Object.keys(brightResult.triage.probabilities).sort()).toEqual(['effusion', 'no-finding', 'nodule']);
      expect(brightResult.heatmapUrl).toBe(`/v1/images/${bright}/heatmap.png`);
      expect(darkResult.triage).toMatchObject({ modelId: 'tiny-brightness', priority: 'routine', label: 'no-finding' });
      expect(darkResult.dicom.modality).toBe('OT');
      // A constant image fails the quality gate: unreadable, not scored, no heatmap, still on the worklist.
      expect(blankResult.triage).toMatchObject({ modelId: 'cxr-pneumonia', priority: 'unreadable', score: null, label: null, probabilities: null });
      expect(blankResult.triage.quality.issues.map((i: { code: string }) => i.code)).toContain('constant');
      expect(blankResult.heatmapUrl).toBeNull();
      const worklist = await v2.json('GET', '/v1/imaging/worklist', { role: 'radiologist' });
      expect(worklist.body.items.map((i: { imageId: string }) => i.imageId)).toEqual([unreadId, bright, dark, blank]);
    } finally {
      await v2.close();
    }
  });

  it('creates one ONNX session per model and reuses it for every upload and triage job', async () => {
    const models = modelsFolder();
    writeTinyModel(models);
    const createSession = vi.spyOn(ort.InferenceSession, 'create');
    const api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: tempDir('clinote-imaging-'), CLINOTE_MODELS_DIR: models } });
    try {
      const patient = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'SESSION-1' } })).body;
      const triage = imageTriageHandler(api.runtime);
      // Several images for each model, each uploaded (the route picks a model) and triaged as its own job.
      const uploads: Uint8Array[] = [...valPngs('normal', 2), ...valPngs('pneumonia', 2)].map(({ bytes }) => bytes);
      uploads.push(rampDicom(150, 255, 'OT'), rampDicom(0, 100, 'OT'));
      for (const [i, bytes] of uploads.entries()) {
        const id = await upload(api, patient.id, bytes);
        await triage({ imageId: id, requestId: null }, { jobId: `session-${i}`, attempt: 1, final: true });
        expect((await image(api, id)).status).toBe('triaged');
      }
      // Each model's session is opened at first use only (from its graph's bytes); every later upload and job reuses it.
      const graphs = [path.join('cxr-pneumonia', 'cxr-pneumonia.onnx'), path.join('tiny-brightness', 'tiny.onnx')];
      const created = createSession.mock.calls.map(([graph]) =>
        graphs.find((file) => Buffer.from(graph as Uint8Array).equals(readFileSync(path.join(models, file)))),
      );
      expect(created.sort()).toEqual(graphs);
    } finally {
      createSession.mockRestore();
      await api.close();
    }
  });
});
