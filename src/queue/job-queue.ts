/** Every job payload is read-only and carries the id of the request that caused it (for log correlation). */
export interface JobPayload {
  readonly requestId: string | null;
}

export interface JobContext {
  readonly jobId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** True on the last attempt: a failure now is final. */
  readonly final: boolean;
}

export type JobHandler<P extends JobPayload = JobPayload> = (payload: P, context: JobContext) => Promise<void>;

export interface EnqueueRequest<P extends JobPayload = JobPayload> {
  name: string;
  /** Deterministic id: enqueueing an id that is already waiting or running is a no-op. */
  id: string;
  payload: P;
}

/** Lifecycle hooks a driver calls around each attempt (job bookkeeping, metrics). */
export interface JobEvents {
  onActive?(jobId: string, name: string): Promise<void>;
  onCompleted?(jobId: string, name: string, ms: number): Promise<void>;
  onFailed?(jobId: string, name: string, error: Error, final: boolean): Promise<void>;
}

export interface JobQueue {
  readonly driver: 'bullmq' | 'in-process';
  enqueue(request: EnqueueRequest): Promise<void>;
  /** Starts consuming the named jobs in this process. */
  work(handlers: ReadonlyMap<string, JobHandler>, events?: JobEvents): Promise<void>;
  /** Waiting + delayed + active jobs per name. */
  counts(): Promise<Record<string, number>>;
  ping(): Promise<boolean>;
  /** Stops taking new jobs and waits for running ones. */
  close(): Promise<void>;
}

/** Raised when a job name has no handler in this process. */
export class UnknownJobError extends Error {
  override readonly name = 'UnknownJobError';
}
