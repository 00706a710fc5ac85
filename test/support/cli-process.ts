/** The real `clinote` command as child processes, started through the benchmarks' process helpers. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startServer, type ServerProcess } from '../../eval/bench/service-process.ts';
import { projectRoot } from '../../src/config/paths.ts';

export const clinoteCli = path.join(projectRoot, 'scripts', 'clinote.mjs');

/** What an embedded deployment sees: a data folder and a free port, no DATABASE_URL or REDIS_URL. */
export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CLINOTE_DATA_DIR: dataDir, PORT: '0' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

/** `clinote serve`, once it listens (PORT=0 picks a free port, read back from its start-up line). */
export const startServe = (env: NodeJS.ProcessEnv): Promise<ServerProcess> =>
  startServer([clinoteCli, 'serve'], env, /listening on http:\/\/[\d.]+:(\d+)/);

export type WorkerProcess = Omit<ServerProcess, 'port'>;

/** `clinote worker`, once it has started consuming jobs (workers listen on no port). */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const { port: _none, ...worker } = await startServer([clinoteCli, 'worker'], env, /"msg":"clinote worker started"/);
  return worker;
}

/** SIGKILL: no shutdown handler runs, as when a machine dies. Resolves once the process is gone. */
export function killHard(p: WorkerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGKILL');
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `clinote` command to completion. */
export function runClinote(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [clinoteCli, ...args], { env }, (error, stdout, stderr) => {
      // A non-zero exit is a result to assert on; failing to start at all is not.
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
