import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import type { AuditActor } from './types.ts';

export interface NewAuditEvent {
  actor: AuditActor;
  /** Verb on a resource, e.g. `note.read`, `patient.search`. */
  action: string;
  patientId: string | null;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  /** Non-identifying context (filters used, counts): never patient text. */
  detail?: Record<string, unknown> | undefined;
}

export interface AuditEvent {
  id: string;
  at: Date;
  actorKeyId: string | null;
  actorLabel: string;
  actorRole: string;
  action: string;
  patientId: string | null;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

/** Records one or more events in a single statement. */
export async function recordAuditEvents(db: Queryable, events: readonly NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const params: unknown[] = [];
  const tuples = events.map((e) => {
    params.push(e.actor.keyId, e.actor.label, e.actor.role, e.action, e.patientId, e.resourceType, e.resourceId, e.requestId, e.detail ? JSON.stringify(e.detail) : null);
    const n = params.length;
    return `($${n - 8}, $${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  await db.query(
    `INSERT INTO audit_events (actor_key_id, actor_label, actor_role, action, patient_id, resource_type, resource_id, request_id, detail)
     VALUES ${tuples.join(', ')}`,
    params,
  );
}

export interface AuditFilter {
  patientId?: string | undefined;
  actorKeyId?: string | undefined;
  action?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** Newest first. */
export async function listAuditEvents(db: Queryable, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.patientId) add('patient_id = ?', filter.patientId);
  if (filter.actorKeyId) add('actor_key_id = ?', filter.actorKeyId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.since) add('at >= ?', filter.since);
  if (filter.until) add('at < ?', filter.until);
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    where.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<AuditEvent>(
    `SELECT id::text AS id, at, actor_key_id AS "actorKeyId", actor_label AS "actorLabel", actor_role AS "actorRole", action,
            patient_id AS "patientId", resource_type AS "resourceType", resource_id AS "resourceId", request_id AS "requestId", detail
     FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (e) => [e.at, e.id]);
}
