/** A radiologist can take back their own recent read (the reader's undo), audited; the worklist names the patient. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { uploadTriagedImage } from '../support/imaging.ts';

describe.each(databaseBackends)('undoing a read on $name', (backend) => {
  let t: TestDatabase;
  let api: TestApi;
  let patientId: string;
  let imageId: string;
  beforeAll(async () => {
    t = await backend.create();
    api = await createTestApi(t, { workers: false });
    patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'RD-1', name: 'Amara Nwosu' } })).body.id;
    imageId = (await uploadTriagedImage(api, patientId)).imageId;
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await t.drop();
  });

  const unread = async () => (await api.json('GET', '/v1/imaging/worklist?status=unread', { role: 'radiologist' })).body.items as Array<{ imageId: string; patientName: string | null; mrn: string }>;

  it('lists the patient name, takes back only the caller’s own read, puts the image back on the worklist and audits it', async () => {
    expect((await unread()).map((i) => [i.imageId, i.patientName, i.mrn])).toEqual([[imageId, 'Amara Nwosu', 'RD-1']]);
    const read = await api.json('POST', `/v1/images/${imageId}/read`, { role: 'radiologist', body: { agreement: 'agree', comment: 'Consolidation.' } });
    expect(read.status).toBe(201);
    expect(await unread()).toEqual([]);

    // Another radiologist's key cannot take it back; other roles may not try.
    const other = await api.json('POST', '/v1/keys', { role: 'admin', body: { role: 'radiologist', label: 'Dr Other' } });
    const refused = await api.call('DELETE', `/v1/images/${imageId}/read`, { token: other.body.token });
    expect(refused.status).toBe(404);
    expect((await refused.json()).type).toBe('/problems/not-found');
    expect((await api.call('DELETE', `/v1/images/${imageId}/read`, { role: 'doctor' })).status).toBe(403);

    const undone = await api.json('DELETE', `/v1/images/${imageId}/read`, { role: 'radiologist' });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ id: read.body.id, agreement: 'agree' });
    expect((await unread()).map((i) => i.imageId)).toEqual([imageId]);
    expect((await api.json('GET', `/v1/images/${imageId}`, { role: 'radiologist' })).body.reads).toEqual([]);
    expect((await api.call('DELETE', `/v1/images/${imageId}/read`, { role: 'radiologist' })).status).toBe(404); // nothing left
    const audited = await t.db.query<{ action: string; patient: string }>(`SELECT action, patient_id AS patient FROM audit_events WHERE action = 'image.unread'`);
    expect(audited).toEqual([{ action: 'image.unread', patient: patientId }]);
  });

  it('keeps reads older than the undo window', async () => {
    await api.json('POST', `/v1/images/${imageId}/read`, { role: 'radiologist', body: {} });
    await t.db.query(`UPDATE image_reads SET read_at = now() - interval '2 hours' WHERE image_id = $1`, [imageId]);
    expect((await api.call('DELETE', `/v1/images/${imageId}/read`, { role: 'radiologist' })).status).toBe(404);
    expect((await api.json('GET', `/v1/images/${imageId}`, { role: 'radiologist' })).body.reads).toHaveLength(1);
  });
});
