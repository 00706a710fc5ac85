/**
 * Speech to text through an OpenAI-compatible transcription endpoint (a local whisper server, for example):
 * POST {baseUrl}/audio/transcriptions as multipart/form-data. Off unless STT_BASE_URL is set; the audio never
 * leaves the configured server. The transcript then goes through structureNote(text, { source: 'dictation' }).
 */

export interface SttConfig {
  /** e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export interface Transcription {
  text: string;
  language: string | null;
  durationSeconds: number | null;
}

export interface AudioInput {
  data: Uint8Array;
  filename: string;
  /** e.g. audio/wav, audio/mpeg, audio/webm */
  mimeType: string;
  /** ISO 639-1 hint. */
  language?: string;
  /** Vocabulary hint (drug names, the patient's problems) passed to the recogniser. */
  prompt?: string;
}

/** The transcription settings from the environment, or null when STT_BASE_URL is unset (the feature is off). */
export function sttConfigFromEnv(env: { STT_BASE_URL?: string | undefined; STT_MODEL?: string | undefined; STT_API_KEY?: string | undefined }): SttConfig | null {
  if (!env.STT_BASE_URL) return null;
  return { baseUrl: env.STT_BASE_URL, model: env.STT_MODEL || 'whisper-1', ...(env.STT_API_KEY ? { apiKey: env.STT_API_KEY } : {}) };
}

export class TranscriptionError extends Error {
  override readonly name = 'TranscriptionError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export async function transcribeAudio(audio: AudioInput, config: SttConfig): Promise<Transcription> {
  const form = new FormData();
  form.append('file', new Blob([Uint8Array.from(audio.data)], { type: audio.mimeType }), audio.filename);
  form.append('model', config.model);
  form.append('response_format', 'json');
  if (audio.language) form.append('language', audio.language);
  if (audio.prompt) form.append('prompt', audio.prompt);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: form,
      headers: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
      signal: AbortSignal.timeout(config.timeoutMs ?? 120_000),
    });
  } catch (error) {
    throw new TranscriptionError(`Transcription server unreachable at ${url}: ${(error as Error).message}`, null);
  }
  if (!response.ok) {
    // The body may echo audio content; only the status is reported.
    throw new TranscriptionError(`Transcription server answered ${response.status} ${response.statusText}`, response.status);
  }
  const body = (await response.json()) as { text?: unknown; language?: unknown; duration?: unknown };
  if (typeof body.text !== 'string') throw new TranscriptionError('Transcription response has no text field', response.status);
  return {
    text: body.text,
    language: typeof body.language === 'string' ? body.language : null,
    durationSeconds: typeof body.duration === 'number' ? body.duration : null,
  };
}
