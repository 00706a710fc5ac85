/** A `clinote serve` (or other server) child process for the benchmarks, and JSON calls to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a child process and resolves once its output matches `pattern`, whose first group is the port. */
export function startServer(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let started = false;
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = started ? null : pattern.exec(out);
      if (m) {
        started = true;
        resolve({ child, port: Number(m[1]), output: () => out, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`server exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

/** A JSON API call; any status of 300 or more throws. */
export async function callApi<T>(base: string, method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status}`);
  return (await res.json()) as T;
}

/** The bootstrap admin key a server prints on its first start against a database with none. */
export function bootstrapAdminKey(output: string): string {
  const admin = /(cln_[a-z0-9]{12}_[A-Za-z0-9_-]{43})/.exec(output)?.[1];
  if (!admin) throw new Error('the benchmark needs a database without an admin key (a fresh PGlite folder, or an empty DATABASE_URL)');
  return admin;
}

/**
 * The server's event-loop delay since the previous call (the gauge resets on each scrape), in ms: what the thread
 * serving HTTP was kept from answering by the server's own work, apart from the machine's scheduling.
 */
export async function eventLoopDelayMs(base: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  const quantile = (q: string) => 1000 * Number(new RegExp(`^clinote_event_loop_delay_seconds\\{quantile="${q.replace('.', '\\.')}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { p99: Math.round(quantile('0.99') * 10) / 10, max: Math.round(quantile('1') * 10) / 10 };
}

/**
 * An empty database of its own for one bench run on PostgreSQL, dropped afterwards: the server then prints a bootstrap
 * admin key, and the operator's database (which may already have keys and patients) is left as it was.
 */
export async function scratchDatabase(
  url: string,
  prefix: string,
): Promise<{ url: string; name: string; /** A connection to the server's maintenance database, open until drop. */ admin: pg.Client; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    admin,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}
