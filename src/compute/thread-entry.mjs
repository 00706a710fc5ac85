// Entry of each compute-pool thread. Worker threads do not inherit the main thread's TypeScript loader, so the
// thread registers tsx (as scripts/clinote.mjs does) before loading the tasks; Piscina waits for the exported
// promise, so a thread takes tasks only once its models are loaded.
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

register();
const { initializeThread } = await import('./thread.ts');
export default await initializeThread(workerData);
