import { createApp } from '../../src/api/app.ts';
import type { Role } from '../../src/access/types.ts';
import type { Runtime } from '../../src/runtime.ts';
import { startWorkers, type WorkerHandle } from '../../workers/index.ts';
import type { TestDatabase } from './backends.ts';
import { testRuntime, tokensByRole } from './runtime.ts';

export interface TestApi {
  runtime: Runtime & { logLines: string[] };
  tokens: Record<Role, string>;
  workers: WorkerHandle | undefined;
  call(method: string, path: string, options?: { role?: Role; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  json<T = any>(method: string, path: string, options?: { role?: Role; body?: unknown }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real app over a test database, called in-process (no sockets), with a key per role. */
export async function createTestApi(t: TestDatabase, options: { env?: Record<string, string>; workers?: boolean } = {}): Promise<TestApi> {
  const runtime = await testRuntime(t.db, options.env);
  const tokens = await tokensByRole(t.db);
  const workers = options.workers === false ? undefined : await startWorkers(runtime);
  const app = createApp(runtime);
  const call: TestApi['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token ?? (o.role ? tokens[o.role] : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' || o.body instanceof Uint8Array ? (o.body as BodyInit) : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  return {
    runtime,
    tokens,
    workers,
    call,
    async json(method, path, o) {
      const res = await call(method, path, o);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await workers?.stop();
      await runtime.close();
    },
  };
}
