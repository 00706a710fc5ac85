import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimImageForTriage,
  completeImageTriage,
  failImageTriage,
  findImage,
  insertImage,
  insertImageRead,
  listImageReads,
  listImagesToTriage,
  listPatientImages,
  listTriageFeedback,
  listWorklist,
} from '../../src/imaging/repository.ts';
import type { ImageTriage, NewImage, TriagePriority } from '../../src/imaging/types.ts';
import { InvalidCursorError } from '../../src/db/page.ts';
import { registerPatient } from '../../src/patients/service.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const newImage = (patientId: string, content: string): NewImage => ({
  patientId,
  contentSha256: sha(content),
  storagePath: `images/${sha(content).slice(0, 2)}/${sha(content)}`,
  thumbnailPath: null,
  format: 'png',
  byteSize: 100,
  width: 28,
  height: 28,
  dicom: null,
  indication: null,
  uploadedBy: 'doctor test',
});

const triage = (priority: TriagePriority, version = '1.0.0', score = priority === 'urgent' ? 0.9 : 0.1): ImageTriage => ({
  modelId: 'cxr-pneumonia',
  modelVersion: version,
  threshold: 0.74,
  priority,
  score: priority === 'unreadable' ? null : score,
  label: priority === 'unreadable' ? null : priority === 'urgent' ? 'pneumonia' : 'normal',
  probabilities: priority === 'unreadable' ? null : { normal: 1 - score, pneumonia: score },
  quality: { ok: priority !== 'unreadable', issues: [] },
  heatmapPath: null,
});

describe.each(databaseBackends)('image repository on $name', ({ create }) => {
  let t: TestDatabase;
  let patientId: string;
  beforeAll(async () => {
    t = await create();
    patientId = (await registerPatient(t.db, { mrn: 'IMG-REPO' })).id;
  });
  afterAll(() => t.drop());

  /** Inserts an image received `minutesAgo` minutes ago, optionally triaged with a priority. */
  async function image(content: string, minutesAgo: number, priority?: TriagePriority): Promise<string> {
    const { image: record } = await insertImage(t.db, newImage(patientId, content));
    await t.db.query(`UPDATE images SET received_at = now() - make_interval(mins => $2) WHERE id = $1`, [record.id, minutesAgo]);
    if (priority) {
      expect(await claimImageForTriage(t.db, record.id, 'cxr-pneumonia', '1.0.0')).toBe(true);
      await completeImageTriage(t.db, record.id, triage(priority));
    }
    return record.id;
  }

  it('keeps one record per patient and file, with DICOM identifiers', async () => {
    const first = await insertImage(t.db, { ...newImage(patientId, 'dup'), format: 'dicom', dicom: { studyInstanceUid: '1.2', seriesInstanceUid: '1.2.3', sopInstanceUid: '1.2.3.4', modality: 'DX' } });
    const second = await insertImage(t.db, newImage(patientId, 'dup'));
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, image: { id: first.image.id, format: 'dicom' } });
    expect(first.image).toMatchObject({ status: 'pending', triage: null, readAt: null, byteSize: 100, dicom: { modality: 'DX', sopInstanceUid: '1.2.3.4' } });
    const otherPatient = (await registerPatient(t.db, { mrn: 'IMG-REPO-2' })).id;
    expect((await insertImage(t.db, newImage(otherPatient, 'dup'))).created).toBe(true);
    expect((await listPatientImages(t.db, patientId, { limit: 10 })).items.map((i) => i.id)).toEqual([first.image.id]);
    await t.db.query('DELETE FROM images');
  });

  it('keeps the clinical indication: a duplicate upload fills it only when missing; migration 0010 leaves older images without one and caps its length', async () => {
    const first = await insertImage(t.db, newImage(patientId, 'indicated'));
    expect(first.image.indication).toBeNull();
    const filled = await insertImage(t.db, { ...newImage(patientId, 'indicated'), indication: 'Cough, ?pneumonia' });
    expect(filled).toMatchObject({ created: false, image: { id: first.image.id, indication: 'Cough, ?pneumonia' } });
    const kept = await insertImage(t.db, { ...newImage(patientId, 'indicated'), indication: 'Something else' });
    expect(kept.image.indication).toBe('Cough, ?pneumonia');
    await t.db.query('DELETE FROM images');

    // An image stored before the migration: the column arrives empty, and new values are held to the cap.
    await t.db.query('ALTER TABLE images DROP COLUMN indication');
    await t.db.query(
      `INSERT INTO images (id, patient_id, content_sha256, storage_path, format, byte_size, width, height, uploaded_by, status)
       VALUES ('00000000-0000-4000-8000-0000000000a1', $1, $2, 'images/old', 'png', 100, 28, 28, 'doctor test', 'pending')`,
      [patientId, sha('old')],
    );
    await t.db.query(readFileSync('src/db/migrations/0010_image_indication.sql', 'utf8'));
    expect(await findImage(t.db, '00000000-0000-4000-8000-0000000000a1')).toMatchObject({ indication: null });
    expect((await insertImage(t.db, { ...newImage(patientId, 'new'), indication: 'x'.repeat(500) })).image.indication).toHaveLength(500);
    await expect(t.db.query(`UPDATE images SET indication = repeat('x', 501)`)).rejects.toThrow(/check constraint/);
    await t.db.query('DELETE FROM images');
  });

  it('claims an image once per model version and records the triage', async () => {
    const id = await image('claim', 1);
    expect(await claimImageForTriage(t.db, id, 'cxr-pneumonia', '1.0.0')).toBe(true);
    await completeImageTriage(t.db, id, triage('urgent'));
    const stored = await findImage(t.db, id);
    expect(stored).toMatchObject({ status: 'triaged', triage: { priority: 'urgent', score: 0.9, label: 'pneumonia', modelVersion: '1.0.0', threshold: 0.74 } });
    expect(stored!.triagedAt).toBeInstanceOf(Date);
    expect(await claimImageForTriage(t.db, id, 'cxr-pneumonia', '1.0.0')).toBe(false);
    expect(await claimImageForTriage(t.db, id, 'cxr-pneumonia', '1.1.0')).toBe(true);
    await failImageTriage(t.db, id, 'boom');
    expect(await findImage(t.db, id)).toMatchObject({ status: 'failed', error: 'boom', triage: { modelVersion: '1.0.0' } });
    expect(await claimImageForTriage(t.db, '00000000-0000-4000-8000-000000000000', 'cxr-pneumonia', '1.0.0')).toBe(false);
    await t.db.query('DELETE FROM images');
  });

  it('orders the worklist urgent first, then oldest first, across keyset pages', async () => {
    const routineOld = await image('routine-old', 50, 'routine');
    const urgentNew = await image('urgent-new', 5, 'urgent');
    const pending = await image('pending', 40);
    const unreadable = await image('unreadable', 30, 'unreadable');
    const urgentOld = await image('urgent-old', 20, 'urgent');
    const routineNew = await image('routine-new', 10, 'routine');
    const expected = [urgentOld, urgentNew, routineOld, pending, unreadable, routineNew];

    const whole = await listWorklist(t.db, 'unread', { limit: 50 });
    expect(whole.items.map((i) => i.id)).toEqual(expected);
    expect(whole.items[0]!.mrn).toBe('IMG-REPO');
    expect(whole.nextCursor).toBeNull();
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listWorklist(t.db, 'unread', { limit, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `pages of ${limit}`).toEqual(expected);
    }
    await expect(listWorklist(t.db, 'unread', { limit: 2, cursor: Buffer.from(JSON.stringify(['-5', expected[0]])).toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);

    const read = await t.db.transaction((tx) => insertImageRead(tx, { imageId: urgentNew, reader: { keyId: null, label: 'Dr R' }, agreement: 'agree', comment: null }));
    expect(read).toMatchObject({ agreement: 'agree', seen: { priority: 'urgent', score: 0.9, label: 'pneumonia', modelVersion: '1.0.0' } });
    expect((await listWorklist(t.db, 'unread', { limit: 50 })).items.map((i) => i.id)).toEqual(expected.filter((id) => id !== urgentNew));
    expect((await listWorklist(t.db, 'read', { limit: 50 })).items.map((i) => i.id)).toEqual([urgentNew]);
    expect((await listWorklist(t.db, 'all', { limit: 50 })).items.map((i) => i.id)).toEqual(expected);
    await t.db.query('DELETE FROM images');
  });

  it('finds untriaged images and unread images triaged by a model version no longer installed', async () => {
    const pending = await image('r-pending', 9);
    const current = await image('r-current', 8, 'routine');
    const staleUnread = await image('r-stale', 7, 'urgent');
    const staleRead = await image('r-stale-read', 6, 'routine');
    const failed = await image('r-failed', 5);
    await failImageTriage(t.db, failed, 'no');
    await insertImageRead(t.db, { imageId: staleRead, reader: { keyId: null, label: 'Dr R' }, agreement: null, comment: null });

    const ids = async (installed: string[], limit = 10, after?: { receivedAt: Date; id: string }) =>
      (await listImagesToTriage(t.db, installed, limit, after)).map((r) => r.id);
    expect(await ids(['cxr-pneumonia@1.0.0'])).toEqual([pending]);
    expect(await ids(['cxr-pneumonia@2.0.0'])).toEqual([pending, current, staleUnread]);
    const [firstRow] = await listImagesToTriage(t.db, ['cxr-pneumonia@2.0.0'], 1);
    expect(await ids(['cxr-pneumonia@2.0.0'], 10, firstRow)).toEqual([current, staleUnread]);
    await t.db.query('DELETE FROM images');
  });

  it('keeps every read with the triage it judged and exports them as feedback', async () => {
    const a = await image('f-a', 3, 'urgent');
    const b = await image('f-b', 2, 'routine');
    const pause = () => new Promise((r) => setTimeout(r, 5));
    const first = await insertImageRead(t.db, { imageId: a, reader: { keyId: null, label: 'Dr A' }, agreement: 'agree', comment: null });
    await pause();
    const second = await insertImageRead(t.db, { imageId: b, reader: { keyId: null, label: 'Dr B' }, agreement: 'disagree', comment: 'lobar opacity' });
    // A second opinion on the same image is kept; the image's first read time stays.
    const before = (await findImage(t.db, a))!.readAt;
    await pause();
    await insertImageRead(t.db, { imageId: a, reader: { keyId: null, label: 'Dr C' }, agreement: null, comment: 'agree, also effusion' });
    expect((await findImage(t.db, a))!.readAt).toEqual(before);
    expect((await listImageReads(t.db, a)).map((r) => r.readerLabel)).toEqual(['Dr A', 'Dr C']);
    expect(await insertImageRead(t.db, { imageId: '00000000-0000-4000-8000-000000000000', reader: { keyId: null, label: 'x' }, agreement: null, comment: null })).toBeUndefined();

    const all = await listTriageFeedback(t.db, {}, { limit: 10 });
    expect(all.items.map((f) => [f.readerLabel, f.agreement, f.seen.priority, f.patientId])).toEqual([
      ['Dr A', 'agree', 'urgent', patientId],
      ['Dr B', 'disagree', 'routine', patientId],
      ['Dr C', null, 'urgent', patientId],
    ]);
    const page = await listTriageFeedback(t.db, {}, { limit: 2 });
    expect((await listTriageFeedback(t.db, {}, { limit: 2, cursor: page.nextCursor! })).items.map((f) => f.readerLabel)).toEqual(['Dr C']);
    expect((await listTriageFeedback(t.db, { since: second!.readAt }, { limit: 10 })).items.map((f) => f.readerLabel)).toEqual(['Dr B', 'Dr C']);
    expect((await listTriageFeedback(t.db, { until: second!.readAt }, { limit: 10 })).items.map((f) => f.id)).toEqual([first!.id]);
  });
});
