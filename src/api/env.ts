import type { ApiKey, Role } from '../access/api-keys-repository.ts';
import type { Runtime } from '../runtime.ts';

/** Who is calling: the API key's id, label and role. */
export interface Principal {
  keyId: string;
  label: string;
  role: Role;
}

export const principalOf = (key: ApiKey): Principal => ({ keyId: key.id, label: key.label, role: key.role });

/** Typed context variables every handler can read. */
export interface AppEnv {
  Variables: {
    runtime: Runtime;
    requestId: string;
    /** Set by the auth middleware when a valid bearer key was sent. */
    principal: Principal | undefined;
  };
}
