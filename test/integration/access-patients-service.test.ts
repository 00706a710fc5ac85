/** The api-keys and patients services on real databases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyAuthenticator, createFirstAdminKey, createKey, listKeys, revokeKey } from '../../src/access/api-keys-service.ts';
import { listAuditTrail } from '../../src/access/audit-service.ts';
import { recordAuditEvents } from '../../src/access/audit-repository.ts';
import { insertNote } from '../../src/notes/repository.ts';
import { DuplicateMrnError, PatientNotFoundError } from '../../src/patients/errors.ts';
import { findPatients, readPatient, registerPatient, requirePatient } from '../../src/patients/service.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(databaseBackends)('api-keys and patients services on $name', ({ create }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('creates the first admin key only while there is no active one', async () => {
    const token = await createFirstAdminKey(t.db);
    expect(token).toMatch(/^cln_/);
    expect(await createFirstAdminKey(t.db)).toBeUndefined();
    const admin = (await listKeys(t.db)).find((k) => k.role === 'admin')!;
    await revokeKey(t.db, admin.prefix);
    expect(await createFirstAdminKey(t.db)).toMatch(/^cln_/);
  });

  it('authenticates a key until it is revoked and the cache forgotten, and writes its last use', async () => {
    const { key, token } = await createKey(t.db, 'doctor', 'ward 3');
    const keys = new ApiKeyAuthenticator(60_000);
    expect(await keys.authenticate(t.db, token)).toEqual({ keyId: key.id, label: 'ward 3', role: 'doctor' });
    expect((await listKeys(t.db)).find((k) => k.id === key.id)?.lastUsedAt).toBeInstanceOf(Date);
    expect(await keys.authenticate(t.db, `${token.slice(0, -1)}x`)).toBeUndefined();
    expect(await keys.authenticate(t.db, 'not a key')).toBeUndefined();
    expect((await revokeKey(t.db, key.id))?.revokedAt).toBeInstanceOf(Date);
    // Cached for a minute: still trusted until the revocation is heard.
    expect(await keys.authenticate(t.db, token)).toBeDefined();
    keys.forget();
    expect(await keys.authenticate(t.db, token)).toBeUndefined();
    expect(await revokeKey(t.db, MISSING)).toBeUndefined();
  });

  it('reads the audit trail newest first with its filters', async () => {
    const actor = { keyId: null, label: 'ops', role: 'admin' };
    const event = (action: string) => ({ actor, action, patientId: null, resourceType: 'key', resourceId: null, requestId: null });
    await recordAuditEvents(t.db, [event('key.one')]);
    await recordAuditEvents(t.db, [event('key.two')]);
    expect((await listAuditTrail(t.db, {}, { limit: 2 })).items.map((e) => e.action)).toEqual(['key.two', 'key.one']);
    expect((await listAuditTrail(t.db, { action: 'key.one' }, { limit: 10 })).items).toHaveLength(1);
  });

  it('registers patients with unique MRNs and finds them by folded name words or MRN prefix', async () => {
    const nguyen = await registerPatient(t.db, { mrn: 'SVC-001', name: 'Nguyễn Thị Đào' });
    await registerPatient(t.db, { mrn: 'SVC-002', name: "Siobhán O'Brien" });
    await expect(registerPatient(t.db, { mrn: 'SVC-001' })).rejects.toBeInstanceOf(DuplicateMrnError);
    const names = async (search: Parameters<typeof findPatients>[1]) => (await findPatients(t.db, search, 'doctor', { limit: 10 })).items.map((p) => p.mrn);
    expect(await names({ name: 'nguyen dao' })).toEqual(['SVC-001']);
    expect(await names({ name: 'obrien' })).toEqual(['SVC-002']);
    expect(await names({ name: 'thi nguy' })).toEqual(['SVC-001']);
    expect(await names({ name: '%' })).toEqual([]);
    expect(await names({ q: 'svc-00' })).toEqual(['SVC-001', 'SVC-002']);
    expect(await names({ q: 'siob' })).toEqual(['SVC-002']);
    expect(await names({ mrn: 'SVC-002' })).toEqual(['SVC-002']);
    expect(await requirePatient(t.db, nguyen.id)).toEqual(nguyen);
    await expect(requirePatient(t.db, MISSING)).rejects.toBeInstanceOf(PatientNotFoundError);
  });

  it("shows radiologists only patients with images and coders only patients with notes, as if the others did not exist", async () => {
    const withNote = await registerPatient(t.db, { mrn: 'SCOPE-N' });
    const bare = await registerPatient(t.db, { mrn: 'SCOPE-0' });
    await insertNote(t.db, { patientId: withNote.id, kind: 'progress', author: 'dr', authoredAt: new Date(), source: 'typed', text: 'Asthma.', pipelineVersion: 'v1' });
    const mrns = async (role: 'coder' | 'radiologist' | 'doctor') => (await findPatients(t.db, { q: 'SCOPE' }, role, { limit: 10 })).items.map((p) => p.mrn).sort();
    expect(await mrns('doctor')).toEqual(['SCOPE-0', 'SCOPE-N']);
    expect(await mrns('coder')).toEqual(['SCOPE-N']);
    expect(await mrns('radiologist')).toEqual([]);
    expect(await readPatient(t.db, withNote.id, 'coder')).toEqual(withNote);
    await expect(readPatient(t.db, bare.id, 'coder')).rejects.toBeInstanceOf(PatientNotFoundError);
    await expect(readPatient(t.db, withNote.id, 'radiologist')).rejects.toBeInstanceOf(PatientNotFoundError);
    expect(await readPatient(t.db, bare.id, 'clinician')).toEqual(bare);
  });
});
