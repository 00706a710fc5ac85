import type { Queryable } from '../db/database.ts';

export type JobStatus = 'queued' | 'active' | 'completed' | 'failed';

export interface JobRecord {
  id: string;
  name: string;
  status: JobStatus;
  resourceType: string | null;
  resourceId: string | null;
  attempts: number;
  error: string | null;
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

const columns = `id, name, status, resource_type AS "resourceType", resource_id AS "resourceId", attempts, error,
  request_id AS "requestId", created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;

/**
 * Records that a job was enqueued. Re-enqueueing a finished job id (reconciler, retry, a reindex asked for again)
 * resets it to queued, since the queue runs it again; a running one keeps its state, since the queue drops an id
 * that is still waiting or running.
 */
export async function upsertQueuedJob(
  db: Queryable,
  job: { id: string; name: string; resourceType: string | null; resourceId: string | null; requestId: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO jobs (id, name, status, resource_type, resource_id, request_id) VALUES ($1, $2, 'queued', $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET status = 'queued', error = NULL, finished_at = NULL, updated_at = now(),
       request_id = COALESCE(EXCLUDED.request_id, jobs.request_id)
     WHERE jobs.status <> 'active'`,
    [job.id, job.name, job.resourceType, job.resourceId, job.requestId],
  );
}

export async function markJobActive(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE jobs SET status = 'active', attempts = attempts + 1, updated_at = now() WHERE id = $1`, [id]);
}

export async function markJobCompleted(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE jobs SET status = 'completed', error = NULL, updated_at = now(), finished_at = now() WHERE id = $1`, [id]);
}

/** A failed attempt: `final` when no retries remain (otherwise the job waits for its next attempt). */
export async function markJobFailed(db: Queryable, id: string, error: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = $3, error = $2, updated_at = now(), finished_at = CASE WHEN $3 = 'failed' THEN now() END WHERE id = $1`,
    [id, error, final ? 'failed' : 'queued'],
  );
}

export async function findJob(db: Queryable, id: string): Promise<JobRecord | undefined> {
  return (await db.query<JobRecord>(`SELECT ${columns} FROM jobs WHERE id = $1`, [id]))[0];
}
