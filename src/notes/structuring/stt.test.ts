import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sttConfigFromEnv, transcribeAudio, TranscriptionError } from './stt.ts';

interface Received {
  path: string;
  contentType: string;
  authorization: string | undefined;
  body: string;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

beforeAll(async () => {
  // A stand-in for a local whisper server speaking the OpenAI transcription protocol.
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', authorization: req.headers.authorization, body });
    if (body.includes('name="model"\r\n\r\nbroken-model')) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model failed"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ text: 'no chest pain period new paragraph metoprolol 25 mg twice daily period', language: 'en', duration: 4.2 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('transcribeAudio', () => {
  const audio = { data: new Uint8Array([82, 73, 70, 70, 0, 1, 2, 3]), filename: 'dictation.wav', mimeType: 'audio/wav', language: 'en' };

  it('posts multipart audio to {base}/audio/transcriptions and returns the transcript', async () => {
    const result = await transcribeAudio(audio, { baseUrl: `${baseUrl}/`, model: 'whisper-1', apiKey: 'secret' });
    expect(result).toEqual({ text: 'no chest pain period new paragraph metoprolol 25 mg twice daily period', language: 'en', durationSeconds: 4.2 });
    const request = received.at(-1)!;
    expect(request.path).toBe('/v1/audio/transcriptions');
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.authorization).toBe('Bearer secret');
    expect(request.body).toContain('name="file"; filename="dictation.wav"');
    expect(request.body).toContain('Content-Type: audio/wav');
    expect(request.body).toContain('RIFF');
    expect(request.body).toContain('name="model"\r\n\r\nwhisper-1');
    expect(request.body).toContain('name="language"\r\n\r\nen');
  });

  it('reports a failing server by status, without its body', async () => {
    const error = await transcribeAudio(audio, { baseUrl, model: 'broken-model' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionError);
    expect((error as TranscriptionError).status).toBe(500);
    expect((error as Error).message).not.toContain('model failed');
  });

  it('is off unless STT_BASE_URL is set', () => {
    expect(sttConfigFromEnv({})).toBeNull();
    expect(sttConfigFromEnv({ STT_BASE_URL: baseUrl, STT_MODEL: 'large-v3' })).toEqual({ baseUrl, model: 'large-v3' });
  });
});
