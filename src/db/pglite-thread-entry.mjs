// Entry of the database thread. Worker threads do not inherit the main thread's TypeScript loader, so the thread
// registers tsx (as scripts/clinote.mjs does) before loading the host.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveDatabase } = await import('./pglite-thread-host.ts');
await serveDatabase(parentPort, workerData);
