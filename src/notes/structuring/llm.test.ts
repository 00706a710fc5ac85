import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentWithLlm, llmConfigFromEnv, locateQuote, parseProposal } from './llm.ts';
import { structureNote } from './structure.ts';

// An ACI-BENCH-style sentence whose "JVD" and "lung base crackles" the lexicons do not know.
const text = 'EXAM: He exhibits some JVD and lung base crackles. He takes Zestoretic daily. He denies orthopnea.';

let server: Server;
let baseUrl: string;
const requests: Array<{ path: string; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
let reply = '';

beforeAll(async () => {
  // A stand-in for an OpenAI-compatible chat server (Ollama, vLLM, llama.cpp).
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'local-model',
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('augmentWithLlm', () => {
  it('merges proposals that quote the note and drops invented ones', async () => {
    reply = 'Here you go:\n```json\n' + JSON.stringify({
      problems: [
        { quote: 'JVD', icd10cm: 'I87.8' },
        { quote: 'lung base crackles', icd10cm: null },
        { quote: 'orthopnea', icd10cm: 'R06.01' },
        { quote: 'pulmonary fibrosis', icd10cm: 'J84.10' },
      ],
      medications: [{ quote: 'Zestoretic' }, { quote: 'warfarin' }],
      allergies: [{ substance: 'peanuts', reaction: 'hives' }],
    }) + '\n```';
    const note = structureNote(text);
    const merged = await augmentWithLlm(text, note, { baseUrl, model: 'local-model' });

    const request = requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body.model).toBe('local-model');
    expect(request.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request.body.messages[1]!.content).toContain(text);

    const fromLlm = merged.problems.filter((p) => p.source === 'llm');
    expect(fromLlm.map((p) => p.text)).toEqual(['JVD', 'lung base crackles']);
    for (const p of fromLlm) expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(fromLlm[0]).toMatchObject({ candidateCodes: ['I87.8'], matchedBy: 'llm', sectionType: 'physical_exam' });
    // "orthopnea" was already found by the rules (and is negated there): not duplicated.
    expect(merged.problems.filter((p) => p.text === 'orthopnea')).toHaveLength(note.problems.filter((p) => p.text === 'orthopnea').length);
    const zestoretic = merged.medications.filter((m) => m.name === 'Zestoretic');
    expect(zestoretic).toHaveLength(1);
    expect(merged.medications.some((m) => m.name === 'warfarin')).toBe(false);
    expect(merged.allergies).toEqual(note.allergies);
  });

  it('leaves the note unchanged when the reply is not valid proposal JSON', async () => {
    reply = 'I cannot help with that.';
    const note = structureNote(text);
    expect(await augmentWithLlm(text, note, { baseUrl, model: 'local-model' })).toEqual(note);
  });
});

describe('LLM helpers', () => {
  it('validates proposals with zod', () => {
    expect(parseProposal('{"problems":[{"quote":"x"}]}')).toBeNull();
    expect(parseProposal('{"problems":[{"quote":"JVD"}]}')).toEqual({ problems: [{ quote: 'JVD' }], medications: [], allergies: [] });
  });

  it('finds quotes exactly first, then ignoring case and spacing, never inside other words', () => {
    expect(locateQuote('Lung base  crackles noted', 'lung base crackles', [])).toEqual({ start: 0, end: 19, text: 'Lung base  crackles' });
    expect(locateQuote('he has pain', 'ain', [])).toBeNull();
  });

  it('is off unless both LLM_BASE_URL and LLM_MODEL are set', () => {
    expect(llmConfigFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toBeNull();
    expect(llmConfigFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3' })).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3' });
  });
});
