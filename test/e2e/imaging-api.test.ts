import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffImageType } from '../../src/imaging/sniff.ts';
import { buildTestDicom, testUids, type DicomElement } from '../../src/imaging/test-support/dicom-writer.ts';
import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { createPgliteTestDatabase, databaseBackends, redisAvailable, TEST_REDIS_URL, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';

const setups = databaseBackends.flatMap((backend) => [
  { label: `${backend.name} + in-process queue`, backend, env: {} as Record<string, string> },
  ...(backend.name === 'postgres' && redisAvailable ? [{ label: 'postgres + BullMQ', backend, env: { REDIS_URL: TEST_REDIS_URL } }] : []),
]);

const [normal1, normal2] = valPngs('normal', 2);
const [pneumonia1, pneumonia2] = valPngs('pneumonia', 2);

/**
 * A 16-bit MONOCHROME1 radiograph with rescale slope/intercept and a window, built from a real PNG so that it
 * decodes to exactly the PNG's pixels (white is the lowest stored value; modality value = 2 · stored − 1024).
 */
async function dicomFromPng(png: Buffer, modality = 'DX', extraElements: DicomElement[] = []): Promise<Uint8Array> {
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return buildTestDicom({
    rows: info.height,
    columns: info.width,
    bitsAllocated: 16,
    bitsStored: 12,
    photometric: 'MONOCHROME1',
    pixels: Uint16Array.from(data, (g) => (255 - g) * 16),
    rescaleSlope: 2,
    rescaleIntercept: -1024,
    window: { center: 2 * 127.5 * 16 - 1024, width: 2 * 16 * 256 },
    modality,
    extraElements,
  });
}

/** A multipart/form-data body with the bytes as its `file` field, and any text fields. */
async function multipart(bytes: Uint8Array, fieldName = 'file', fields: Record<string, string> = {}): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  form.set(fieldName, new Blob([new Uint8Array(bytes)]), 'upload.bin');
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! };
}

async function upload(api: TestApi, patientId: string, bytes: Uint8Array, contentType = 'image/png') {
  const res = await api.call('POST', `/v1/patients/${patientId}/images`, { role: 'doctor', body: bytes, headers: { 'content-type': contentType } });
  const body = await res.json();
  return { status: res.status, location: res.headers.get('location'), body };
}

async function triaged(api: TestApi, imageId: string) {
  return waitFor(async () => {
    const r = await api.json('GET', `/v1/images/${imageId}`, { role: 'clinician' });
    return ['triaged', 'failed'].includes(r.body.status) ? r.body : undefined;
  }, 30_000, `image ${imageId} triaged`);
}

describe.each(setups)('imaging API on $label', ({ backend, env }) => {
  let dataDir: string;
  let t: TestDatabase;
  let api: TestApi;
  // Opening the database in a hook keeps PGlite's start-up (slow on a busy machine) out of the test's time budget.
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-imaging-'));
    t = await backend.create();
    api = await createTestApi(t, { env: { CLINOTE_DATA_DIR: dataDir, ...env } });
  });
  afterAll(async () => {
    await api?.close();
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes PNG and DICOM uploads (raw and multipart), triages them in the background, orders the worklist, records reads and exports feedback', async () => {
    const patient = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `IMG-${Date.now()}`, name: 'Tran Van C' } })).body;
    const other = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: `IMG2-${Date.now()}` } })).body;

    // Declared content types are not trusted: a PNG sent as octet-stream or DICOM is still a PNG.
    const n1 = await upload(api, patient.id, normal1!.bytes);
    const n2 = await upload(api, patient.id, normal2!.bytes, 'application/octet-stream');
    // The clinical indication: a multipart field, else (DICOM) the file's Reason for the Requested Procedure.
    const form = await multipart(pneumonia1!.bytes, 'file', { indication: '  Fever and productive cough,  ?pneumonia ' });
    const p1 = await upload(api, patient.id, form.body, form.type);
    const p2 = await upload(api, patient.id, pneumonia2!.bytes, 'application/dicom');
    const dicomBytes = await dicomFromPng(pneumonia1!.bytes, 'DX', [{ tag: 0x00401002, vr: 'LO', value: 'Dyspnoea, r/o effusion' }]);
    const d1 = await upload(api, patient.id, dicomBytes, 'application/dicom');
    for (const u of [n1, n2, p1, p2, d1]) {
      expect(u.status).toBe(202);
      expect(u.body).toMatchObject({ duplicate: false, status: 'pending' });
      expect(u.location).toBe(`/v1/images/${u.body.imageId}`);
    }

    // The same file again for the same patient is the same image; for another patient it is a record of its own.
    const again = await upload(api, patient.id, normal1!.bytes);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ imageId: n1.body.imageId, duplicate: true });
    const forOther = await upload(api, other.id, normal1!.bytes);
    expect(forOther.body.imageId).not.toBe(n1.body.imageId);
    // Content-addressed storage: one original file for the two records, plus its thumbnail.
    const shard = readdirSync(path.join(dataDir, 'images')).flatMap((d) => readdirSync(path.join(dataDir, 'images', d)));
    expect(shard.filter((f) => !f.includes('.')).length).toBe(5);

    const images = Object.fromEntries(
      await Promise.all(Object.entries({ n1, n2, p1, p2, d1, o1: forOther }).map(async ([k, u]) => [k, await triaged(api, u.body.imageId)] as const)),
    );
    for (const image of Object.values(images)) expect(image.status).toBe('triaged');
    expect(images.n1!.triage).toMatchObject({ modelId: 'cxr-pneumonia', modelVersion: '1.0.0', priority: 'routine', label: 'normal' });
    expect(images.p1!.triage).toMatchObject({ priority: 'urgent', label: 'pneumonia' });
    expect(images.p1!.triage.score).toBeGreaterThanOrEqual(images.p1!.triage.threshold);
    expect(images.n1!.triage.score).toBeLessThan(images.n1!.triage.threshold);
    expect(Object.keys(images.p1!.triage.probabilities).sort()).toEqual(['normal', 'pneumonia']);
    // The DICOM decodes to the PNG's pixels (MONOCHROME1 inverted, rescaled, windowed), so it scores the same.
    expect(images.d1!.triage.score).toBeCloseTo(images.p1!.triage.score, 6);
    expect(images.d1!.format).toBe('dicom');
    expect(images.d1!.dicom).toEqual({ studyInstanceUid: testUids.study, seriesInstanceUid: testUids.series, sopInstanceUid: testUids.instance, modality: 'DX' });
    expect(images.n1!.dicom).toBeNull();
    expect([images.p1!.indication, images.d1!.indication, images.n1!.indication]).toEqual(['Fever and productive cough, ?pneumonia', 'Dyspnoea, r/o effusion', null]);
    expect(images.o1!.contentSha256).toBe(images.n1!.contentSha256);

    const job = await api.json('GET', `/v1/jobs/${encodeURIComponent(p1.body.jobId)}`, { role: 'doctor' });
    expect(job.body).toMatchObject({ name: 'image-triage', status: 'completed', resourceType: 'image', resourceId: p1.body.imageId });

    // Files: the original exactly as uploaded, a PNG thumbnail and a PNG heatmap.
    const original = await api.call('GET', images.d1!.originalUrl, { role: 'doctor' });
    expect(original.headers.get('content-type')).toBe('application/dicom');
    expect(original.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await original.arrayBuffer()).equals(Buffer.from(dicomBytes))).toBe(true);
    for (const url of [images.p1!.thumbnailUrl, images.p1!.heatmapUrl]) {
      const res = await api.call('GET', url, { role: 'clinician' });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(sniffImageType(new Uint8Array(await res.arrayBuffer()))).toBe('png');
    }
    const heatmap = await sharp(Buffer.from(await (await api.call('GET', images.p1!.heatmapUrl, { role: 'doctor' })).arrayBuffer())).metadata();
    expect([heatmap.width, heatmap.height, heatmap.channels]).toEqual([256, 256, 3]);

    // Worklist: urgent first, then oldest first.
    const worklist = await api.json('GET', '/v1/imaging/worklist', { role: 'radiologist' });
    expect(worklist.status).toBe(200);
    const order = ['p1', 'p2', 'd1', 'n1', 'n2', 'o1'].map((k) => images[k]!.id);
    expect(worklist.body.items.map((i: { imageId: string }) => i.imageId)).toEqual(order);
    expect(worklist.body.items.map((i: { priority: string }) => i.priority)).toEqual(['urgent', 'urgent', 'urgent', 'routine', 'routine', 'routine']);
    expect(worklist.body.items[0]).toMatchObject({ patientId: patient.id, mrn: patient.mrn, thumbnailUrl: images.p1!.thumbnailUrl, modelVersion: '1.0.0' });
    expect(worklist.body.items[2].modality).toBe('DX');
    expect(worklist.body.items.map((i: { indication: string | null }) => i.indication)).toEqual(['Fever and productive cough, ?pneumonia', null, 'Dyspnoea, r/o effusion', null, null, null]);
    expect(worklist.body.items[0].patientName).toBe('Tran Van C');
    // Keyset pages of two walk the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ imageId: string }>; nextCursor: string | null } } = await api.json(
        'GET',
        `/v1/imaging/worklist?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { role: 'radiologist' },
      );
      paged.push(...page.body.items.map((i) => i.imageId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(order);

    // Reads: agreement with the triage shown, a comment; read images leave the unread worklist.
    const agree = await api.json('POST', `/v1/images/${images.p1!.id}/read`, { role: 'radiologist', body: { agreement: 'agree' } });
    expect(agree.status).toBe(201);
    expect(agree.body).toMatchObject({ agreement: 'agree', comment: null, seenTriage: { priority: 'urgent', modelVersion: '1.0.0' } });
    const comment = '=HYPERLINK("x"), subtle "left" base opacity';
    const disagree = await api.json('POST', `/v1/images/${images.n2!.id}/read`, { role: 'radiologist', body: { agreement: 'disagree', comment } });
    expect(disagree.status).toBe(201);
    const plainRead = await api.json('POST', `/v1/images/${images.o1!.id}/read`, { role: 'radiologist', body: {} });
    expect(plainRead.body.agreement).toBeNull();

    const unread = await api.json('GET', '/v1/imaging/worklist?status=unread', { role: 'radiologist' });
    expect(unread.body.items.map((i: { imageId: string }) => i.imageId)).toEqual(['p2', 'd1', 'n1'].map((k) => images[k]!.id));
    const read = await api.json('GET', '/v1/imaging/worklist?status=read', { role: 'radiologist' });
    expect(read.body.items.map((i: { imageId: string }) => i.imageId)).toEqual(['p1', 'n2', 'o1'].map((k) => images[k]!.id));
    expect((await api.json('GET', '/v1/imaging/worklist?status=all', { role: 'radiologist' })).body.items).toHaveLength(6);
    const withReads = await api.json('GET', `/v1/images/${images.n2!.id}`, { role: 'doctor' });
    expect(withReads.body.readAt).not.toBeNull();
    expect(withReads.body.reads).toEqual([expect.objectContaining({ agreement: 'disagree', comment, reader: 'radiologist test' })]);

    // Feedback export: reads against the triage they judged, as JSON and as CSV.
    // Patient ids and radiologists' words: admins (keys and audit, no chart access) may not export them.
    expect((await api.call('GET', '/v1/imaging/feedback', { role: 'admin' })).status).toBe(403);
    const feedback = await api.json('GET', '/v1/imaging/feedback', { role: 'radiologist' });
    expect(feedback.status).toBe(200);
    expect(feedback.body.items).toHaveLength(3);
    expect(feedback.body.items[1]).toMatchObject({
      imageId: images.n2!.id,
      patientId: patient.id,
      contentSha256: images.n2!.contentSha256,
      modelId: 'cxr-pneumonia',
      modelVersion: '1.0.0',
      priority: 'routine',
      label: 'normal',
      agreement: 'disagree',
      comment,
    });
    const firstPage = await api.json('GET', '/v1/imaging/feedback?limit=2', { role: 'radiologist' });
    expect(firstPage.body.items).toHaveLength(2);
    const rest = await api.json('GET', `/v1/imaging/feedback?limit=2&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`, { role: 'radiologist' });
    expect([...firstPage.body.items, ...rest.body.items].map((r: { readId: string }) => r.readId)).toEqual(feedback.body.items.map((r: { readId: string }) => r.readId));
    const csvRes = await api.call('GET', '/v1/imaging/feedback?format=csv&limit=2', { role: 'radiologist' });
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    expect(csvRes.headers.get('link')).toMatch(/^<\/v1\/imaging\/feedback\?format=csv&limit=2&cursor=[\w-]+>; rel="next"$/);
    const csv = (await csvRes.text()).trimEnd().split('\r\n');
    expect(csv[0]).toBe('readId,readAt,reader,imageId,patientId,contentSha256,format,modality,modelId,modelVersion,priority,score,label,agreement,comment');
    expect(csv).toHaveLength(3);
    // Quoted (comma, quotes) and defused as a spreadsheet formula.
    expect(csv[2]!.endsWith(`,disagree,"'=HYPERLINK(""x""), subtle ""left"" base opacity"`)).toBe(true);

    // Every look at patient images is audited.
    const audit = await api.json('GET', `/v1/audit?patientId=${patient.id}&limit=200`, { role: 'admin' });
    const actions = new Set(audit.body.items.map((e: { action: string; actorRole: string }) => `${e.action}:${e.actorRole}`));
    for (const expected of [
      'image.upload:doctor',
      'image.view:clinician',
      'image.download:doctor',
      'image.thumbnail:clinician',
      'image.heatmap:clinician',
      'imaging.worklist:radiologist',
      'image.mark-read:radiologist',
      'imaging.feedback-export:radiologist',
    ]) {
      expect(actions, expected).toContain(expected);
    }
    // The indication is documented: the upload form's field, and the image and worklist answers.
    const doc = (await api.json('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/patients/{id}/images'].post.requestBody.content['multipart/form-data'].schema.properties.indication).toMatchObject({ type: 'string', maxLength: 500 });
    for (const schema of ['ImageSummary', 'WorklistItem']) expect(doc.components.schemas[schema].properties.indication, schema).toBeDefined();

    const logs = api.runtime.logLines.join('\n');
    expect(logs).not.toContain('Tran Van C');
    expect(logs).not.toContain('HYPERLINK');
    expect(logs).not.toContain('pneumonia,');
    expect(logs).not.toContain('Dyspnoea');
  });
});

describe('image upload errors', () => {
  let dataDir: string;
  let t: TestDatabase;
  let api: TestApi;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'clinote-imaging-'));
    t = await createPgliteTestDatabase();
    api = await createTestApi(t, { workers: false, env: { CLINOTE_DATA_DIR: dataDir, CLINOTE_IMAGE_LIMIT: '4kb' } });
  });
  afterAll(async () => {
    await api?.close();
    await t?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers bad uploads with problem+json 4xx and stores nothing', async () => {
    const patient = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'IMG-ERR' } })).body;
    const png = normal1!.bytes;
    const oversized = new Uint8Array(5000);
    oversized.set(png);
    const truncatedForm = await multipart(png.subarray(0, Math.floor(png.length / 2)));
    const oversizedForm = await multipart(oversized);
    const wrongField = await multipart(png, 'image');
    const twoLines = await multipart(png, 'file', { indication: 'Cough\nFever' });
    const tooLong = await multipart(png, 'file', { indication: 'x'.repeat(501) });
    const ct = await dicomFromPng(png, 'CT');
    const url = `/v1/patients/${patient.id}/images`;
    const cases: Array<[string, Uint8Array | string, string, number, string]> = [
      ['truncated PNG', png.subarray(0, Math.floor(png.length / 2)), 'image/png', 422, 'unprocessable'],
      ['truncated PNG (multipart)', truncatedForm.body, truncatedForm.type, 422, 'unprocessable'],
      ['truncated DICOM', (await dicomFromPng(png)).subarray(0, 600), 'application/dicom', 422, 'unprocessable'],
      ['text', 'This is a discharge letter, not an image.', 'image/png', 415, 'unsupported-media-type'],
      ['JSON', '{"image":"x"}', 'application/json', 415, 'unsupported-media-type'],
      ['oversized', oversized, 'image/png', 413, 'payload-too-large'],
      ['oversized (multipart)', oversizedForm.body, oversizedForm.type, 413, 'payload-too-large'],
      ['empty', new Uint8Array(0), 'image/png', 400, 'bad-request'],
      ['multipart without a file field', wrongField.body, wrongField.type, 400, 'validation'],
      ['indication over two lines', twoLines.body, twoLines.type, 400, 'validation'],
      ['indication over 500 characters', tooLong.body, tooLong.type, 400, 'validation'],
      ['broken multipart', '--x\r\nnonsense', 'multipart/form-data; boundary=x', 400, 'bad-request'],
      ['DICOM modality no model accepts', ct, 'application/dicom', 422, 'unprocessable'],
    ];
    for (const [what, body, type, status, slug] of cases) {
      const res = await api.call('POST', url, { role: 'doctor', body, headers: { 'content-type': type } });
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      expect(((await res.json()) as { type: string }).type, what).toBe(`/problems/${slug}`);
    }
    expect((await api.call('POST', `/v1/patients/00000000-0000-4000-8000-000000000000/images`, { role: 'doctor', body: png, headers: { 'content-type': 'image/png' } })).status).toBe(404);
    expect((await api.call('POST', url, { role: 'clinician', body: png, headers: { 'content-type': 'image/png' } })).status).toBe(403);
    expect((await api.call('GET', '/v1/imaging/worklist', { role: 'doctor' })).status).toBe(403);
    expect((await api.call('GET', '/v1/imaging/feedback', { role: 'clinician' })).status).toBe(403);

    expect(await t.db.query('SELECT id FROM images')).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);

    // A read cannot agree or disagree with a triage that has not happened yet.
    const accepted = await upload(api, patient.id, png);
    expect(accepted.status).toBe(202);
    const early = await api.json('POST', `/v1/images/${accepted.body.imageId}/read`, { role: 'radiologist', body: { agreement: 'agree' } });
    expect(early.status).toBe(409);
    expect((await api.json('POST', `/v1/images/${accepted.body.imageId}/read`, { role: 'radiologist', body: { agreement: 'maybe' } })).status).toBe(400);
    expect((await api.json('GET', `/v1/images/${accepted.body.imageId}/heatmap.png`, { role: 'doctor' })).status).toBe(404);
    expect((await api.json('GET', '/v1/images/00000000-0000-4000-8000-000000000000', { role: 'doctor' })).status).toBe(404);
    expect((await api.json('GET', '/v1/imaging/worklist?cursor=bm9wZQ', { role: 'radiologist' })).status).toBe(400);
  });
});
