import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteTestDatabase, type TestDatabase } from '../support/backends.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/runtime.ts';

let t: TestDatabase;
let api: TestApi;
let stt: Server;
let sttUrl: string;
let sttCalls = 0;

beforeAll(async () => {
  // A local OpenAI-compatible transcription server.
  stt = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sttCalls++;
      const ok = req.url === '/audio/transcriptions' && Buffer.concat(chunks).includes(Buffer.from('name="model"'));
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { text: 'no chest pain period new paragraph metoprolol 25 mg PO BID', language: 'en', duration: 3.2 } : { error: 'bad' }));
    });
  });
  await new Promise<void>((r) => stt.listen(0, '127.0.0.1', () => r()));
  sttUrl = `http://127.0.0.1:${(stt.address() as { port: number }).port}`;
  t = await createPgliteTestDatabase();
  api = await createTestApi(t, { env: { STT_BASE_URL: sttUrl } });
});
afterAll(async () => {
  await api.close();
  await t.drop();
  stt.close();
});

describe('note structuring through HTTP', () => {
  it('structures text statelessly as JSON and as a FHIR bundle', async () => {
    const text = 'No chest pain but reports dyspnea. Mother had breast cancer.\nMedications: metoprolol 25 mg PO BID, hold if HR < 60.';
    const res = await api.json('POST', '/v1/structure', { role: 'doctor', body: { text } });
    expect(res.status).toBe(200);
    const problems = res.body.problems as Array<{ text: string; start: number; end: number; context: { negated: boolean; family: boolean } }>;
    const chestPain = problems.find((p) => /chest pain/i.test(p.text))!;
    expect(chestPain.context.negated).toBe(true);
    expect(text.slice(chestPain.start, chestPain.end).toLowerCase()).toBe(chestPain.text.toLowerCase());
    expect(problems.find((p) => /dyspnea/i.test(p.text))!.context.negated).toBe(false);
    expect(problems.find((p) => /breast cancer/i.test(p.text))!.context.family).toBe(true);
    expect(res.body.medications[0]).toMatchObject({ name: expect.stringMatching(/metoprolol/i) });

    const fhir = await api.json('POST', '/v1/structure?format=fhir', { role: 'doctor', body: { text } });
    expect(fhir.body.resourceType).toBe('Bundle');
    expect(fhir.body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual(
      expect.arrayContaining(['Composition', 'MedicationStatement']),
    );
  });

  it('stores the structure on a processed note and serves its FHIR bundle', async () => {
    const patient = (await api.json('POST', '/v1/patients', { role: 'doctor', body: { mrn: 'S-1' } })).body.id;
    const text = 'ALLERGIES: penicillin (hives).\nVITALS: BP 142/88, HR 76, SpO2 97%.\nASSESSMENT: hypertension.';
    const { noteId } = (await api.json('POST', `/v1/patients/${patient}/notes`, { role: 'doctor', body: { text } })).body;
    const note = await waitFor(async () => {
      const r = await api.json('GET', `/v1/notes/${noteId}`, { role: 'doctor' });
      return r.body.status === 'processed' ? r.body : undefined;
    }, 60_000);
    expect(note.results.structure.allergies[0].substance.text).toMatch(/penicillin/i);
    expect(note.results.structure.vitals.length).toBeGreaterThanOrEqual(3);
    expect(note.results.codes.suggestions.map((s: { code: string }) => s.code)).toContain('I10');
    const fhir = await api.call('GET', `/v1/notes/${noteId}/fhir`, { role: 'clinician' });
    expect(fhir.headers.get('content-type')).toContain('application/fhir+json');
    const bundle = (await fhir.json()) as { entry: Array<{ resource: { resourceType: string } }> };
    expect(bundle.entry.some((e) => e.resource.resourceType === 'AllergyIntolerance')).toBe(true);
  });

  it('transcribes dictated audio through the configured server and structures the dictation', async () => {
    const res = await api.call('POST', '/v1/transcriptions', { role: 'doctor', body: new Uint8Array([82, 73, 70, 70, 0, 0]), headers: { 'content-type': 'audio/wav' } });
    expect(res.status).toBe(200);
    const transcript = (await res.json()) as { text: string };
    expect(sttCalls).toBe(1);
    const structured = await api.json('POST', '/v1/structure', { role: 'doctor', body: { text: transcript.text, source: 'dictation' } });
    const problem = structured.body.problems.find((p: { text: string }) => /chest pain/i.test(p.text));
    expect(problem.context.negated).toBe(true);
    // Offsets point into the raw transcript.
    expect(transcript.text.slice(problem.start, problem.end).toLowerCase()).toContain('chest pain');
    expect((await api.call('POST', '/v1/transcriptions', { role: 'doctor', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });
});
