import { describe, expect, it } from 'vitest';
import { benchBurst } from '../../eval/bench/bench-burst.ts';

// `clinote bench burst` at a size a test can afford: a real embedded `clinote serve` (PGlite, in-process jobs, the
// compute pool's threads) under 20 notes of 39 KB sent at once with Idempotency-Key and client retries, then all
// sent again under their keys.
describe('embedded server under a burst of large notes', () => {
  it('accepts every note without a reset, stores each once, processes them all and replays each under its key', async () => {
    const result = await benchBurst({ notes: 20, noteBytes: 39 * 1024, concurrency: 20, timeoutMs: 30_000, drainTimeoutS: 480, serverEnv: { CLINOTE_COMPUTE_THREADS: '1' } }, () => undefined);
    expect(result).toMatchObject({ notes: 20, accepted: 20, abandoned: 0, stored: 20, processed: 20, failed: 0, lost: 0, duplicated: 0, replayed_same_note: 20, resets: 0 });
    expect(result.health_probes).toBeGreaterThan(0);
  }, 900_000);
});
