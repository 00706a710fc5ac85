/** How a job queue delivers and retries jobs; the same for both drivers. */
export interface QueueOptions {
  /**
   * Jobs a worker process runs at once, per job name.
   * @default 2
   */
  concurrency: number;
  /**
   * Attempts before a job is marked failed.
   * @default 3
   */
  attempts: number;
  /**
   * Delay before the first retry, in ms; doubled for each further attempt.
   * @default 1000
   */
  backoffMs: number;
}

export const defaultQueueOptions: Readonly<QueueOptions> = Object.freeze({ concurrency: 2, attempts: 3, backoffMs: 1000 });
