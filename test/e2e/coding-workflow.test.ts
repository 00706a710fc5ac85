/**
 * The coder's workflow over HTTP on both databases: encounters and their notes, merged suggestions with evidence
 * in context, review with no pre-filled decisions, claim edits (every edit through POST /v1/coding/validate and on
 * save), warning overrides, sequence and POA, the encounter worklist, exports and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { databaseBackends, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

const ADMISSION =
  'Admission note. Chief complaint: fever and productive cough. Assessment: Community acquired pneumonia, present on admission. Type 2 diabetes mellitus on metformin. Plan: IV ceftriaxone.';
const PROGRESS = 'Progress note, hospital day 3. Patient developed a urinary tract infection on hospital day 3. Pneumonia improving on antibiotics.';
const DISCHARGE = 'Discharge summary. Principal diagnosis: community acquired pneumonia. Secondary: urinary tract infection acquired during the hospital stay. Type 2 diabetes mellitus.';

/** Every claim edit, as a system submitting a code set meets it. */
const EDIT_CASES: Array<{ codes: string[]; patient?: Record<string, string>; encounter?: Record<string, string>; id: string; severity: 'blocking' | 'warning' }> = [
  { codes: ['Q99.99'], id: 'unknownCode:Q99.99', severity: 'blocking' },
  { codes: ['I10', 'I10'], id: 'duplicateCode:I10', severity: 'blocking' },
  { codes: ['E11'], id: 'notBillable:E11', severity: 'blocking' },
  { codes: ['S72.001'], id: 'missingSeventhCharacter:S72.001', severity: 'blocking' },
  { codes: ['R06.02', 'R06.82'], id: 'excludes1:R06.02+R06.82', severity: 'blocking' },
  { codes: ['I21.4', 'I21.9'], id: 'overlap:I21.4+I21.9', severity: 'blocking' },
  { codes: ['J44.1', 'J44.9'], id: 'unspecifiedBesideSpecified:J44.1+J44.9', severity: 'blocking' },
  { codes: ['N40.0'], patient: { sex: 'female' }, id: 'sexMismatch:N40.0', severity: 'blocking' },
  { codes: ['O80', 'Z37.0'], patient: { sex: 'female', birthDate: '2020-01-01' }, encounter: { type: 'inpatient', start: '2026-03-01T00:00:00Z' }, id: 'ageMismatch:O80', severity: 'blocking' },
  { codes: ['Z38.00'], patient: { birthDate: '2026-02-20' }, encounter: { type: 'inpatient', start: '2026-03-01T00:00:00Z' }, id: 'ageMismatch:Z38.00', severity: 'blocking' },
  { codes: ['O80', 'Z37.0', 'P07.30'], id: 'maternalNewbornMix:O80+P07.30', severity: 'blocking' },
  { codes: ['E11.9'], id: 'instructionUnmet:E11.9@E11', severity: 'warning' },
  { codes: ['G63', 'E85.4'], id: 'instructionSequence:E85.4+G63@G63', severity: 'warning' },
  { codes: ['J18.9', 'R50.9'], id: 'symptomWithDiagnosis:J18.9+R50.9', severity: 'warning' },
];

describe.each(databaseBackends)('coder workflow on $name', (backend) => {
  let t: TestDatabase;
  let api: TestApi;
  let patientId: string;
  let encounterId: string;
  let noteIds: string[];

  beforeAll(async () => {
    t = await backend.create();
    api = await createTestApi(t);
    patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'ENC-1', name: 'Lan Tran', sex: 'female', birthDate: '1961-04-02' } })).body.id;
    const encounter = await api.json('POST', `/v1/patients/${patientId}/encounters`, {
      role: 'doctor',
      body: { type: 'inpatient', start: '2026-03-01T20:00:00Z', end: '2026-03-05T11:00:00Z', externalId: 'ADM-1' },
    });
    expect(encounter.status).toBe(201);
    encounterId = encounter.body.id;
    noteIds = [];
    for (const [text, kind, authoredAt] of [
      [ADMISSION, 'admission', '2026-03-01T21:00:00Z'],
      [PROGRESS, 'progress', '2026-03-04T09:00:00Z'],
    ] as const) {
      noteIds.push((await api.json('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text, kind, authoredAt, encounterId } })).body.noteId);
    }
    // The discharge summary is written alone, then put in the encounter.
    const discharge = (await api.json('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text: DISCHARGE, kind: 'discharge', authoredAt: '2026-03-05T10:00:00Z' } })).body.noteId;
    const attached = await api.json('POST', `/v1/encounters/${encounterId}/notes`, { role: 'doctor', body: { noteId: discharge } });
    expect(attached.status).toBe(200);
    noteIds.push(discharge);
    expect(attached.body.notes.map((n: { id: string }) => n.id)).toEqual(noteIds);
    for (const id of noteIds) await waitFor(async () => (await api.json('GET', `/v1/notes/${id}`, { role: 'coder' })).body.status === 'processed', 90_000, 'note processed');
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    await t?.drop();
  });

  it('reports every claim edit through POST /v1/coding/validate', async () => {
    for (const c of EDIT_CASES) {
      const res = await api.json('POST', '/v1/coding/validate', { role: 'coder', body: { codes: c.codes, ...(c.patient ? { patient: c.patient } : {}), ...(c.encounter ? { encounter: c.encounter } : {}) } });
      expect(res.status, c.id).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.edits.find((e: { id: string }) => e.id === c.id), `${c.codes.join(' ')} → ${c.id}`).toMatchObject({ severity: c.severity });
    }
    const clean = await api.json('POST', '/v1/coding/validate', { role: 'doctor', body: { codes: ['E11.22', 'N18.31', 'Z79.84'] } });
    expect(clean.body).toEqual({ codeSetVersion: 'FY2021', valid: true, edits: [] });
    expect((await api.json('POST', '/v1/coding/validate', { role: 'coder', body: { codes: [] } })).status).toBe(400);
    expect((await api.json('POST', '/v1/coding/validate', { role: 'coder', body: { codes: ['I10'], patient: { birthDate: 'yesterday' } } })).status).toBe(400);
    expect((await api.json('POST', '/v1/coding/validate', { role: 'admin', body: { codes: ['I10'] } })).status).toBe(403);
  });

  it('creates, finds and lists encounters, and refuses bad ones', async () => {
    const again = await api.json('POST', `/v1/patients/${patientId}/encounters`, { role: 'clinician', body: { type: 'inpatient', start: '2026-03-01T20:00:00Z', externalId: 'ADM-1' } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(encounterId);
    const backwards = await api.json('POST', `/v1/patients/${patientId}/encounters`, { role: 'doctor', body: { type: 'ED', start: '2026-03-02T00:00:00Z', end: '2026-03-01T00:00:00Z' } });
    expect(backwards.status).toBe(422);
    expect((await api.json('POST', `/v1/patients/${patientId}/encounters`, { role: 'doctor', body: { type: 'ward', start: '2026-03-02T00:00:00Z' } })).status).toBe(400);
    expect((await api.json('POST', `/v1/patients/${patientId}/encounters`, { role: 'coder', body: { type: 'ED', start: '2026-03-02T00:00:00Z' } })).status).toBe(403);
    const list = await api.json('GET', `/v1/patients/${patientId}/encounters`, { role: 'coder' });
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([encounterId]);
    const got = await api.json('GET', `/v1/encounters/${encounterId}`, { role: 'clinician' });
    expect(got.body).toMatchObject({ type: 'inpatient', externalId: 'ADM-1', start: '2026-03-01T20:00:00.000Z', end: '2026-03-05T11:00:00.000Z' });
    expect((await api.json('GET', `/v1/encounters/${patientId}`, { role: 'coder' })).status).toBe(404);

    const other = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'ENC-OTHER' } })).body.id;
    const wrongPatient = await api.json('POST', `/v1/patients/${other}/notes`, { role: 'doctor', body: { text: 'Cough.', encounterId } });
    expect(wrongPatient.status).toBe(422);
    const otherNote = (await api.json('POST', `/v1/patients/${other}/notes`, { role: 'doctor', body: { text: 'Cough.' } })).body.noteId;
    expect((await api.json('POST', `/v1/encounters/${encounterId}/notes`, { role: 'doctor', body: { noteId: otherNote } })).status).toBe(422);
    const missingNote = await api.json('POST', `/v1/encounters/${encounterId}/notes`, { role: 'doctor', body: { noteId: other } });
    expect(missingNote.body).toMatchObject({ type: '/problems/not-found', detail: 'No note with this id.' });
    const [first, second] = await Promise.all(
      ['2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'].map(async (start) => (await api.json('POST', `/v1/patients/${other}/encounters`, { role: 'doctor', body: { type: 'outpatient', start } })).body.id),
    );
    expect((await api.json('POST', `/v1/encounters/${first}/notes`, { role: 'doctor', body: { noteId: otherNote } })).status).toBe(200);
    const moved = await api.json('POST', `/v1/encounters/${second}/notes`, { role: 'doctor', body: { noteId: otherNote } });
    expect(moved.body).toMatchObject({ status: 409, type: '/problems/conflict', detail: `The note already belongs to encounter ${first}.` });
  });

  it('merges the notes’ suggestions: one per code, evidence from every note in its sentence, principal first, POA proposed', async () => {
    const ws = (await api.json('GET', `/v1/encounters/${encounterId}/codes`, { role: 'coder' })).body;
    expect(ws).toMatchObject({ status: 'processed', encounter: { id: encounterId, type: 'inpatient' }, patient: { mrn: 'ENC-1', name: 'Lan Tran' } });
    expect(ws.notes.map((n: { id: string }) => n.id)).toEqual(noteIds);
    const codes = ws.suggestions.map((s: { code: string }) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    const byCode = Object.fromEntries(ws.suggestions.map((s: { code: string }) => [s.code, s]));
    expect(ws.suggestions[0]).toMatchObject({ code: 'J18.9', role: 'principal', proposed: true });
    expect(byCode['J18.9'].rule).toMatch(/pneumonia/i);
    expect(new Set(byCode['J18.9'].evidence.map((e: { noteId: string }) => e.noteId))).toEqual(new Set(noteIds));
    for (const s of ws.suggestions) {
      for (const e of s.evidence) {
        const note = ws.notes.find((n: { id: string }) => n.id === e.noteId);
        expect(note.text.slice(e.start, e.end)).toBe(e.text);
        expect(e.sentence.text.slice(e.sentence.start, e.sentence.end)).toBe(e.text);
      }
    }
    expect(byCode['J18.9'].poaProposal).toEqual({ poa: 'Y', because: '"present on admission"' });
    expect(byCode['N39.0'].poaProposal.poa).toBe('N');
    // A note of the encounter answers with the encounter's workspace, and is reviewed through it.
    expect((await api.json('GET', `/v1/notes/${noteIds[1]}/codes`, { role: 'coder' })).body.encounter.id).toBe(encounterId);
    const viaNote = await api.json('POST', `/v1/notes/${noteIds[1]}/codes/review`, { role: 'coder', body: { decisions: [{ action: 'accept', code: 'N39.0', poa: 'N' }] } });
    expect(viaNote.status).toBe(409);
  });

  it('refuses undecided codes, blocking edits (never overridable) and unoverridden warnings; saves sequence, POA and overrides; audits them', async () => {
    const ws = (await api.json('GET', `/v1/encounters/${encounterId}/codes`, { role: 'coder' })).body;
    const proposed: string[] = ws.suggestions.filter((s: { proposed: boolean }) => s.proposed).map((s: { code: string }) => s.code);
    expect(proposed).toEqual(expect.arrayContaining(['J18.9', 'N39.0', 'E11.9']));
    const review = (body: unknown) => api.json('POST', `/v1/encounters/${encounterId}/codes/review`, { role: 'coder', body });
    const rest = (decided: string[]) => proposed.filter((c) => !decided.includes(c)).map((code) => ({ action: 'leave', code }));

    const undecided = await review({ decisions: [{ action: 'accept', code: 'J18.9', poa: 'Y' }] });
    expect(undecided.status).toBe(422);
    expect(undecided.body.detail).toMatch(/no decision/);

    const noPoa = await review({ decisions: [{ action: 'accept', code: 'J18.9' }, ...rest(['J18.9'])] });
    expect(noPoa.status).toBe(422);
    expect(noPoa.body.detail).toMatch(/J18\.9 needs a POA indicator/);

    const blocking = await review({
      decisions: [{ action: 'accept', code: 'J18.9', poa: 'Y' }, { action: 'add', code: 'I21.4', poa: 'Y' }, { action: 'add', code: 'I21.9', poa: 'Y' }, ...rest(['J18.9'])],
      overrides: [{ editId: 'overlap:I21.4+I21.9', reason: 'both documented' }],
    });
    expect(blocking.status).toBe(422);
    expect(blocking.body.detail).toMatch(/blocking edit and cannot be overridden/);

    const base = [
      { action: 'accept', code: 'J18.9', poa: 'Y' },
      { action: 'accept', code: 'N39.0', poa: 'N' },
      { action: 'accept', code: 'E11.9', poa: 'Y' },
      // The fever may be among the candidates (not proposed): then it is accepted, else added.
      { action: ws.suggestions.some((s: { code: string }) => s.code === 'R50.9') ? 'accept' : 'add', code: 'R50.9', poa: 'Y' },
    ];
    const others = proposed.filter((c) => !['J18.9', 'N39.0', 'E11.9'].includes(c)).map((code) => (code === 'Z79.84' ? { action: 'accept', code } : { action: 'reject', code, reason: 'not supported' }));
    const warned = await review({ decisions: [...base, ...others] });
    expect(warned.status, JSON.stringify(warned.body)).toBe(422);
    expect(warned.body.errors).toContainEqual({ path: expect.stringMatching(/^edits\/warning\/symptomWithDiagnosis:J18\.9\+.*R50\.9$/), message: expect.stringMatching(/integral/) });
    expect(warned.body.errors.every((e: { path: string }) => e.path.startsWith('edits/warning/'))).toBe(true);

    const overrides = warned.body.errors.map((e: { path: string }) => ({ editId: e.path.slice('edits/warning/'.length), reason: 'documented separately by the physician' }));
    const saved = await review({ decisions: [...base, ...others], overrides });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ encounterId, noteId: null, version: 1, overrides });
    expect(saved.body.finalCodes.slice(0, 4).map((f: { code: string; poa: string }) => [f.code, f.poa])).toEqual([
      ['J18.9', 'Y'],
      ['N39.0', 'N'],
      ['E11.9', 'Y'],
      ['R50.9', 'Y'],
    ]);
    expect(saved.body.decisions.find((d: { finalCode: string }) => d.finalCode === 'N39.0')).toMatchObject({ action: 'accept', sequence: 2, poa: 'N' });

    const audit = await api.json('GET', `/v1/audit?patientId=${patientId}&action=encounter.codes.review`, { role: 'admin' });
    expect(audit.body.items).toHaveLength(1);
    const event = audit.body.items[0];
    expect(event).toMatchObject({ actorRole: 'coder', resourceId: encounterId });
    expect(event.detail.overrides).toEqual(overrides);
    expect(event.detail.decisions.slice(0, 2)).toEqual([
      expect.objectContaining({ action: 'accept', code: 'J18.9', sequence: 1, poa: 'Y' }),
      expect.objectContaining({ action: 'accept', code: 'N39.0', sequence: 2, poa: 'N' }),
    ]);

    // Reordering is a new version with the new sequence.
    const reordered = await review({ decisions: [base[1], base[0], ...base.slice(2), ...others], overrides });
    expect(reordered.status).toBe(201);
    expect(reordered.body.version).toBe(2);
    expect(reordered.body.finalCodes.slice(0, 2).map((f: { code: string }) => f.code)).toEqual(['N39.0', 'J18.9']);
  });

  it('lists encounters on the worklist with name, type, dates, days waiting, proposed count and blocking flag; filters by type and status', async () => {
    const other = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'ENC-2', name: 'Minh Pham', sex: 'male' } })).body.id;
    const ed = (await api.json('POST', `/v1/patients/${other}/encounters`, { role: 'doctor', body: { type: 'ED', start: '2026-03-06T01:00:00Z' } })).body.id;
    const edNote = (await api.json('POST', `/v1/patients/${other}/notes`, { role: 'doctor', body: { text: 'ED note. Benign prostatic hyperplasia. Essential hypertension.', kind: 'ED', encounterId: ed } })).body.noteId;
    const lone = (await api.json('POST', `/v1/patients/${other}/notes`, { role: 'doctor', body: { text: 'Assessment: essential hypertension.' } })).body.noteId;
    for (const id of [edNote, lone]) await waitFor(async () => (await api.json('GET', `/v1/notes/${id}`, { role: 'coder' })).body.status === 'processed', 90_000, 'note processed');

    const awaiting = (await api.json('GET', '/v1/coding/worklist', { role: 'coder' })).body.items;
    const edItem = awaiting.find((i: { encounterId: string }) => i.encounterId === ed);
    expect(edItem).toMatchObject({ noteId: null, mrn: 'ENC-2', name: 'Minh Pham', type: 'ED', start: '2026-03-06T01:00:00.000Z', noteCount: 1, kinds: ['ED'], reviewVersion: null });
    expect(edItem.daysWaiting).toBe(0);
    expect(edItem.proposedCount).toBeGreaterThan(0);
    expect(awaiting.find((i: { noteId: string }) => i.noteId === lone)).toMatchObject({ encounterId: null, type: 'outpatient', noteCount: 1 });
    expect(awaiting.some((i: { encounterId: string }) => i.encounterId === encounterId)).toBe(false);
    const edOnly = (await api.json('GET', '/v1/coding/worklist?type=ED', { role: 'coder' })).body.items;
    expect(edOnly.map((i: { encounterId: string }) => i.encounterId)).toEqual([ed]);
    const reviewed = (await api.json('GET', '/v1/coding/worklist?status=reviewed&type=inpatient', { role: 'coder' })).body.items;
    expect(reviewed).toEqual([expect.objectContaining({ encounterId, reviewVersion: 2, name: 'Lan Tran', proposedCount: expect.any(Number), blocking: false })]);

    // A female patient's note proposing a male-only code is flagged blocking before anyone opens it.
    const woman = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'ENC-3', sex: 'female' } })).body.id;
    const mismatch = (await api.json('POST', `/v1/patients/${woman}/notes`, { role: 'doctor', body: { text: 'Assessment: benign prostatic hyperplasia.' } })).body.noteId;
    await waitFor(async () => (await api.json('GET', `/v1/notes/${mismatch}`, { role: 'coder' })).body.status === 'processed', 90_000, 'note processed');
    const flagged = (await api.json('GET', `/v1/coding/worklist?patientId=${woman}`, { role: 'coder' })).body.items;
    const proposed = (await api.json('GET', `/v1/notes/${mismatch}/codes`, { role: 'coder' })).body;
    if (proposed.suggestions.some((s: { code: string; proposed: boolean }) => s.proposed && s.code.startsWith('N40'))) {
      expect(flagged[0].blocking).toBe(true);
      expect(proposed.edits.some((e: { kind: string }) => e.kind === 'sexMismatch')).toBe(true);
    }
  }, 180_000);

  it('exports the encounter with sequence, diagnosis type and POA in CSV and FHIR', async () => {
    const csv = await (await api.call('GET', `/v1/coding/export?format=csv&patientId=${patientId}`, { role: 'coder' })).text();
    const lines = csv.trim().split('\n');
    expect(lines[1]).toMatch(new RegExp(`^${encounterId},,inpatient,2026-03-01T20:00:00.000Z,2026-03-05T11:00:00.000Z,.*,2,FY2021,1,principal,N39\\.0,.*,N,accepted,`));
    expect(lines[2]).toMatch(/,2,secondary,J18\.9,.*,Y,accepted,/);
    const bundle = await (await api.call('GET', `/v1/coding/export?format=fhir&patientId=${patientId}`, { role: 'coder' })).json();
    const encounter = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Encounter').resource;
    expect(encounter).toMatchObject({ id: encounterId, class: { code: 'IMP' }, identifier: [{ value: 'ADM-1' }] });
    const claim = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Claim').resource;
    expect(claim.type.coding[0].code).toBe('institutional');
    expect(claim.diagnosis.slice(0, 2)).toEqual([
      expect.objectContaining({ sequence: 1, type: [{ coding: [expect.objectContaining({ code: 'principal' })] }], onAdmission: { coding: [expect.objectContaining({ code: 'n' })] } }),
      expect.objectContaining({ sequence: 2, type: [{ coding: [expect.objectContaining({ code: 'secondary' })] }], onAdmission: { coding: [expect.objectContaining({ code: 'y' })] } }),
    ]);
    const json = (await api.json('GET', `/v1/coding/export?format=json&patientId=${patientId}`, { role: 'coder' })).body.items;
    expect(json).toEqual([expect.objectContaining({ encounterId, encounterType: 'inpatient', noteIds, reviewVersion: 2 })]);
  });
});
