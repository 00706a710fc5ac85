import type { Context } from 'hono';
import type { AuditActor } from '../access/types.ts';
import type { AppEnv } from './env.ts';

export interface AuditEntry {
  action: string;
  patientId: string | null;
  resourceType: string;
  resourceId: string | null;
  detail?: Record<string, unknown>;
}

/** Who is calling in this request and the request's id: what a service that audits its own writes is given. */
export function auditContext(c: Context<AppEnv>): { actor: AuditActor; requestId: string } {
  const principal = c.var.principal;
  const actor = principal
    ? { keyId: principal.keyId, label: principal.label, role: principal.role }
    : { keyId: null, label: 'anonymous', role: 'none' };
  return { actor, requestId: c.var.requestId };
}

/** Records who did what to which patient's data in this request (one row per entry). */
export async function audit(c: Context<AppEnv>, ...entries: AuditEntry[]): Promise<void> {
  const context = auditContext(c);
  await c.var.runtime.audit.record(entries.map((e) => ({ ...e, ...context })));
}

/**
 * Audits a list read: one event per patient record returned, or one event without a patient
 * when nothing matched (the query itself is still a recorded access).
 */
export async function auditList(
  c: Context<AppEnv>,
  action: string,
  items: ReadonlyArray<{ patientId: string; resourceType: string; resourceId: string | null }>,
  detail?: Record<string, unknown>,
): Promise<void> {
  if (items.length === 0) {
    await audit(c, { action, patientId: null, resourceType: 'query', resourceId: null, detail: { ...detail, results: 0 } });
    return;
  }
  await audit(c, ...items.map((i) => ({ action, ...i, ...(detail ? { detail } : {}) })));
}
