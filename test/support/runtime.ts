import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/env.ts';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createApiKey } from '../../src/access/api-keys-repository.ts';
import type { Role } from '../../src/access/types.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';

/** Collects log lines so tests can assert what is (and is not) logged. */
export function memoryLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

/**
 * A runtime over a given test database with the in-process queue (or BullMQ when redisUrl is set). Compute tasks
 * run on the calling thread unless `env` asks for threads: each runtime's threads would load every model again
 * (src/compute/pool.test.ts and test/integration/note-burst.test.ts cover the threads).
 */
export async function testRuntime(db: Database, env: Record<string, string> = {}): Promise<Runtime & { logLines: string[] }> {
  const { lines, logger } = memoryLog();
  const config = loadConfig({ CLINOTE_DATA_DIR: '/tmp/clinote-test-unused', LOG_LEVEL: 'debug', CLINOTE_COMPUTE_THREADS: '0', ...env });
  const runtime = await openRuntime(config, { db, logger });
  return Object.assign(runtime, { logLines: lines });
}

/** One API token per role. */
export async function tokensByRole(db: Database): Promise<Record<Role, string>> {
  const roles: Role[] = ['admin', 'doctor', 'coder', 'clinician', 'radiologist'];
  const entries = await Promise.all(roles.map(async (r) => [r, (await createApiKey(db, r, `${r} test`)).token] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
