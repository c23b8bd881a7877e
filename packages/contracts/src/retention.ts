import type { JobsOptions } from 'bullmq';
import { QueueName } from './queues';

/**
 * Redis holds every queued and kept job, so what is kept is sized for a memory budget (the
 * `maxmemory` of infra/redis.conf, 1 GiB):
 *
 * - backlog: at most BACKLOG_LIMIT jobs per stage before producers are told to back off
 *   (5,000 × ~40 KB, a large cleaned article with its signals ≈ 200 MB per stage);
 * - completed jobs: an hour, at most 1,000 per queue. The index is the record of a finished
 *   document; a completed fetch job no longer carries its raw page (the fetcher drops it);
 * - failed jobs: a week for an operator to read and retry, at most 5,000 per queue.
 *
 * Worst case about 3 × 200 MB of backlog plus ~250 MB kept, inside 1 GiB with room for
 * Redis's own overhead and the AOF rewrite buffer.
 */
export const BACKLOG_LIMIT = 5_000;

export const COMPLETED_RETENTION = { age: 3_600, count: 1_000 } as const;
export const FAILED_RETENTION = { age: 7 * 24 * 3_600, count: 5_000 } as const;

/**
 * Retry and retention defaults for every job. Dependency faults (Redis or the database down)
 * do not spend these attempts (see worker-runtime's classifyError): they are for unknown errors.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: COMPLETED_RETENTION,
  removeOnFail: FAILED_RETENTION,
};

/** Poll jobs are small and frequent: keep fewer of them. */
const POLL_JOB_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  removeOnComplete: { age: 3_600, count: 200 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 1_000 },
};

export function jobOptionsFor(queue: QueueName): JobsOptions {
  return queue === QueueName.feeds ? POLL_JOB_OPTIONS : DEFAULT_JOB_OPTIONS;
}

/**
 * Less kept in Redis than a deployment keeps, for a run where Redis shares one machine's memory
 * with everything else (`sluice start`): finished jobs and queue events are history for the
 * dashboard, not work. Failed jobs are kept as always, for an operator to read and retry.
 */
export interface SmallerRetention {
  /** Completed jobs kept per queue (still at most an hour's). */
  completedJobs: number;
  /** Entries kept in each queue's event stream (BullMQ keeps about 10,000). */
  events: number;
}

/** `jobOptionsFor(queue)` with at most `retention.completedJobs` completed jobs kept. */
export function jobOptionsWithin(queue: QueueName, retention: SmallerRetention): JobsOptions {
  const options = jobOptionsFor(queue);
  const kept = options.removeOnComplete as { age: number; count: number };
  return {
    ...options,
    removeOnComplete: { age: kept.age, count: Math.min(kept.count, retention.completedJobs) },
  };
}
