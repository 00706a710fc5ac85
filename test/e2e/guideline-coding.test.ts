/**
 * The coding patterns of issue 18 ("Why"), each through POST /v1/icd10/suggest as a client sends it, plus the
 * care setting on notes: none of these may be proposed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { waitFor } from '../support/runtime.ts';

let t: TestDatabase;
let api: TestApi;

interface Suggested {
  code: string;
  proposed: boolean;
  role: string;
  rule: string;
  evidence: Array<{ start: number; end: number; text: string; assertion: string }>;
}

beforeAll(async () => {
  t = await createPgliteTestDatabase();
  api = await createTestApi(t);
});
afterAll(async () => {
  await api.close();
  await t.drop();
});

async function suggest(text: string, setting?: string): Promise<Suggested[]> {
  const response = await api.json('POST', '/v1/icd10/suggest', { role: 'coder', body: { text, ...(setting ? { setting } : {}) } });
  expect(response.status).toBe(200);
  for (const s of response.body.suggestions as Suggested[]) for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
  return response.body.suggestions;
}
const proposed = (suggestions: Suggested[]) => suggestions.filter((s) => s.proposed).map((s) => s.code);

describe('POST /v1/icd10/suggest follows the Official Guidelines', () => {
  it('does not propose fever from "No fever", nor anything on evidence that does not name it', async () => {
    const s = await suggest('Follow-up for hypertension, well controlled on lisinopril. No fever. No chills.');
    expect(proposed(s)).toContain('I10');
    expect(proposed(s)).not.toContain('R50.9');
    for (const item of s.filter((x) => x.proposed)) expect(item.evidence.every((e) => e.assertion === 'present')).toBe(true);
  });

  it('does not propose hemoptysis when it is denied', async () => {
    const s = await suggest('Cough for three days. Denies hemoptysis. Lungs clear.');
    expect(proposed(s)).not.toContain('R04.2');
    expect(proposed(s)).toContain('R05');
  });

  it("codes the father's MI as family history, never as the patient's old MI", async () => {
    const s = await suggest('Chest wall pain after lifting. Father had an MI at age 55.');
    expect(proposed(s)).not.toContain('I25.2');
    expect(proposed(s).filter((c) => c.startsWith('I21'))).toEqual([]);
    const family = s.find((x) => x.code === 'Z82.49')!;
    expect(family).toMatchObject({ proposed: true, role: 'family' });
    expect(family.evidence[0]).toMatchObject({ text: 'MI', assertion: 'family' });
  });

  it('does not propose PE from "Pulmonary embolism unlikely" in the ED, but codes the symptom', async () => {
    const s = await suggest('Sharp chest pain since yesterday. Pulmonary embolism unlikely, Wells score 0.', 'ED');
    expect(proposed(s).filter((c) => c.startsWith('I26'))).toEqual([]);
    expect(proposed(s).some((c) => c.startsWith('R07'))).toBe(true);
  });

  it('reads "ST depression in V4-V6" as an ECG finding, not depression', async () => {
    const s = await suggest('ECG shows ST depression in V4-V6. Troponin pending.', 'ED');
    expect(proposed(s).filter((c) => c.startsWith('F32') || c.startsWith('F33'))).toEqual([]);
    // Not even offered as an alternative on the ECG wording.
    expect(s.filter((x) => x.code.startsWith('F32') || x.code.startsWith('F33'))).toEqual([]);
    const readmitted = await suggest('Readmitted 12 days after an anterior STEMI. Troponin rose with new ST depression in V5-V6. Final diagnosis: subsequent NSTEMI.', 'inpatient');
    expect(readmitted.filter((x) => x.code.startsWith('F32'))).toEqual([]);
  });

  it('codes "CKD stage 3" as N18.30, never stage 5', async () => {
    const s = await suggest('Chronic kidney disease stage 3, stable creatinine.');
    expect(proposed(s)).toContain('N18.30');
    expect(proposed(s)).not.toContain('N18.5');
  });

  it('codes type 2 diabetes with diabetic CKD as E11.22 with the stage, never E11.9, and hypertensive CKD as I12.9 without I10', async () => {
    const s = await suggest('Assessment: type 2 diabetes mellitus with diabetic chronic kidney disease, CKD stage 3b. Hypertension.');
    expect(proposed(s)).toEqual(expect.arrayContaining(['E11.22', 'N18.32', 'I12.9']));
    expect(proposed(s)).not.toContain('E11.9');
    expect(proposed(s)).not.toContain('I10');
    const i129 = s.find((x) => x.code === 'I12.9')!;
    expect(i129.rule).toMatch(/^I12\.9: hypertension with CKD, presumed causal, I\.C\.9\.a\.2/);
    // I12.9's code-first note puts it before N18.32.
    expect(proposed(s).indexOf('I12.9')).toBeLessThan(proposed(s).indexOf('N18.32'));
  });

  it('codes an acute exacerbation of COPD as J44.1, not J44.9', async () => {
    const s = await suggest('Admitted with acute exacerbation of COPD.', 'inpatient');
    expect(proposed(s)[0]).toBe('J44.1');
    expect(s[0]!.role).toBe('principal');
    expect(proposed(s)).not.toContain('J44.9');
  });

  it('does not code a vaccine given as the disease', async () => {
    const s = await suggest('Laceration of the left forearm. Tetanus toxoid given.', 'ED');
    expect(proposed(s).filter((c) => c.startsWith('A35') || c.startsWith('A33'))).toEqual([]);
    expect(proposed(s)).toContain('Z23');
  });

  it('codes an uncertain diagnosis as established only in the inpatient setting', async () => {
    const text = 'Discharge diagnosis: probable community-acquired pneumonia. Cough and fever.';
    expect(proposed(await suggest(text, 'outpatient'))).not.toContain('J18.9');
    expect(proposed(await suggest(text, 'outpatient'))).toEqual(expect.arrayContaining(['R05', 'R50.9']));
    const inpatient = await suggest(text, 'inpatient');
    expect(proposed(inpatient)[0]).toBe('J18.9');
    expect(inpatient[0]!.evidence[0]!.assertion).toBe('possible');
  });

  it('refuses an unknown setting with a problem', async () => {
    const response = await api.json('POST', '/v1/icd10/suggest', { role: 'coder', body: { text: 'Hypertension.', setting: 'clinic' } });
    expect(response.status).toBe(400);
  });

  it("stores a note's setting and codes its uncertain diagnoses by it", async () => {
    const patientId = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'SETTING-1' } })).body.id;
    const text = 'Assessment: suspected pneumonia. Cough.';
    const created = await api.json('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text, setting: 'inpatient' } });
    expect(created.status).toBe(202);
    const noteId = created.body.noteId;
    await waitFor(async () => (await api.json('GET', `/v1/notes/${noteId}`, { role: 'coder' })).body.status === 'processed', 60_000, 'note processed');
    const note = await api.json('GET', `/v1/notes/${noteId}`, { role: 'coder' });
    expect(note.body.setting).toBe('inpatient');
    const codes = await api.json('GET', `/v1/notes/${noteId}/codes`, { role: 'coder' });
    expect(codes.body.suggestions.filter((s: Suggested) => s.proposed).map((s: Suggested) => s.code)).toContain('J18.9');
    const outpatient = await api.json('POST', '/v1/icd10/suggest', { role: 'coder', body: { noteId, setting: 'outpatient' } });
    expect(outpatient.body.setting).toBe('outpatient');
    expect(proposed(outpatient.body.suggestions)).not.toContain('J18.9');
    const bad = await api.json('POST', `/v1/patients/${patientId}/notes`, { role: 'doctor', body: { text, setting: 'ward' } });
    expect(bad.status).toBe(400);
  });
});
