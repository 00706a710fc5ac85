import type { Principal } from '../access/types.ts';
import type { Runtime } from '../runtime.ts';

/** Typed context variables every handler can read. */
export interface AppEnv {
  Variables: {
    runtime: Runtime;
    requestId: string;
    /** Set by the auth middleware when a valid bearer key was sent. */
    principal: Principal | undefined;
  };
}
