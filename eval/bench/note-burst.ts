/**
 * A burst of note submits as a careful client sends them: every note has its own Idempotency-Key, and a
 * timeout, a connection reset or a 503/409 is retried with the same key and body (after Retry-After when
 * given). Afterwards the stored notes are read back and matched to the keys by a reference line in their text,
 * so a note stored twice (duplicated) or never (lost) is counted.
 */
import { percentile } from './load.ts';

export interface BurstNote {
  readonly key: string;
  readonly text: string;
}

export interface SubmitStats {
  /** Keys answered 202 (the service accepted the note). */
  readonly accepted: Map<string, string>;
  /** Keys given up on after every attempt (not accepted as far as the client knows). */
  readonly abandoned: string[];
  /** Status of each answered POST attempt. */
  readonly statuses: Record<string, number>;
  readonly retries: number;
  /** Attempts that ended in a connection reset or refused connection (no HTTP answer). */
  readonly resets: number;
  /** Attempts the client stopped waiting for. */
  readonly timeouts: number;
  /** Milliseconds of each answered attempt. */
  readonly latenciesMs: number[];
}

export interface SubmitOptions {
  readonly concurrency: number;
  /** Client timeout per attempt. */
  readonly timeoutMs: number;
  /** Attempts per note before the client gives up. */
  readonly attempts: number;
  /** Where to send each attempt (a chaos run moves between servers). */
  readonly base: () => string;
}

/** The first line of a burst note's text: how a stored note is matched back to the key it was sent under. */
export const referenceLine = (key: string) => `Burst reference: ${key}`;

export const keyOfText = (text: string) => /^Burst reference: (\S+)/.exec(text)?.[1];

/** Notes of about `bytes` each, cut from the given clinical texts (consecutive texts, a different start per note). */
export function burstNotes(prefix: string, count: number, bytes: number, corpus: readonly string[]): BurstNote[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `${prefix}-${i}`;
    let text = `${referenceLine(key)}\n`;
    for (let j = i; Buffer.byteLength(text) < bytes; j++) text += `${corpus[j % corpus.length]}\n\n`;
    return { key, text: Buffer.from(text).subarray(0, bytes).toString().replace(/\uFFFD$/, '') };
  });
}

const isReset = (error: unknown) => {
  const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
  return /ECONNRESET|ECONNREFUSED|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/.test(code) || /other side closed|socket hang up/i.test(String((error as Error).message));
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends every note to `POST /v1/patients/{patientId}/notes`, `concurrency` at a time, retrying as described above. */
export async function submitNotes(token: string, patientId: string, notes: readonly BurstNote[], options: SubmitOptions): Promise<SubmitStats> {
  const stats = { accepted: new Map<string, string>(), abandoned: [] as string[], statuses: {} as Record<string, number>, retries: 0, resets: 0, timeouts: 0, latenciesMs: [] as number[] };
  let next = 0;
  const submitOne = async (note: BurstNote) => {
    const body = JSON.stringify({ text: note.text });
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      if (attempt > 1) stats.retries++;
      const started = performance.now();
      let wait = 500;
      try {
        const res = await fetch(`${options.base()}/v1/patients/${patientId}/notes`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': note.key },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const answer = (await res.json().catch(() => ({}))) as { noteId?: string };
        stats.latenciesMs.push(performance.now() - started);
        stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
        if (res.status === 202 && answer.noteId) {
          stats.accepted.set(note.key, answer.noteId);
          return;
        }
        if (res.status !== 503 && res.status !== 409 && res.status < 500) break; // refused for good: a retry would be refused too
        wait = Math.min(10_000, 1000 * Number(res.headers.get('retry-after') ?? '1'));
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') stats.timeouts++;
        else if (isReset(error)) stats.resets++;
        else throw error;
      }
      await sleep(wait);
    }
    stats.abandoned.push(note.key);
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < notes.length) await submitOne(notes[next++]!);
    }),
  );
  return stats;
}

/** `GET /health` back to back (with `gapMs` between) until stopped; the latencies of every probe. */
export function probeHealth(base: () => string, gapMs = 20): { stop(): Promise<{ p50Ms: number; p99Ms: number; maxMs: number; probes: number; failures: number }> } {
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${base()}/health`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status === 200) latencies.push(performance.now() - started);
        else failures++;
      } catch {
        failures++;
      }
      await sleep(gapMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0, probes: sorted.length, failures };
    },
  };
}

interface NoteSummary {
  id: string;
  status: 'pending' | 'processing' | 'processed' | 'failed';
}

/** A GET, tried again on a connection error (a reused keep-alive connection the server was just closing). */
async function getJson<T>(base: string, url: string, token: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(base + url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
      if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}`);
      return (await res.json()) as T;
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error;
      await sleep(500);
    }
  }
}

/** Every note of the patient (all pages). */
export async function patientNotes(base: string, token: string, patientId: string): Promise<NoteSummary[]> {
  const notes: NoteSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: NoteSummary[]; nextCursor: string | null } = await getJson(base, `/v1/patients/${patientId}/notes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    notes.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return notes;
}

/** Waits until none of the patient's notes is pending or processing (or the deadline); the notes then. */
export async function waitForProcessing(base: () => string, token: string, patientId: string, deadline: number): Promise<NoteSummary[]> {
  for (;;) {
    let notes: NoteSummary[] | undefined;
    try {
      notes = await patientNotes(base(), token, patientId);
    } catch {
      // the server may be restarting
    }
    if (notes && notes.every((n) => n.status === 'processed' || n.status === 'failed')) return notes;
    if (Date.now() > deadline) return notes ?? [];
    await sleep(1000);
  }
}

export interface StoredCheck {
  stored: number;
  processed: number;
  failed: number;
  /** Accepted keys with no stored note. */
  lost: number;
  /** Stored notes beyond the first for a key. */
  duplicated: number;
}

/** Reads every stored note back and matches it to its key: what was accepted, stored once, twice, or not at all. */
export async function checkStored(base: string, token: string, patientId: string, accepted: ReadonlyMap<string, string>): Promise<StoredCheck> {
  const notes = await patientNotes(base, token, patientId);
  const perKey = new Map<string, number>();
  for (const summary of notes) {
    const { text } = await getJson<{ text: string }>(base, `/v1/notes/${summary.id}`, token);
    const key = keyOfText(text);
    if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  let duplicated = 0;
  for (const n of perKey.values()) duplicated += n - 1;
  return {
    stored: notes.length,
    processed: notes.filter((n) => n.status === 'processed').length,
    failed: notes.filter((n) => n.status === 'failed').length,
    lost: [...accepted.keys()].filter((key) => !perKey.has(key)).length,
    duplicated,
  };
}
