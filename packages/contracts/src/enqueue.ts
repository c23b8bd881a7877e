import type { JobsOptions, Queue } from 'bullmq';
import { JOBS, type JobName, type JobPayload } from './jobs';
import { QueueName } from './queues';

/**
 * Retry and retention defaults for every job. Failed jobs stay for a week so an operator can
 * read the reason and retry from Bull Board; completed ones are kept briefly for status pages.
 * A completed extract or index job holds the document's text, so the last 1,000 per queue are
 * kept, not more: at 10,000 Redis grew by about 17 MB per 1,000 documents passed (bench:memory).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

export type QueueMap = { [Q in QueueName]: Queue };

/**
 * Validates the payload against the job's schema and adds it to the job's queue with the
 * document id as the job id: adding the same document twice while its job exists is a no-op.
 */
export async function enqueue<N extends JobName>(
  queues: QueueMap,
  name: N,
  payload: JobPayload<N>,
  options: JobsOptions = {},
) {
  const spec = JOBS[name];
  const data = spec.schema.parse(payload) as JobPayload<N>;
  const queue = queues[spec.queue];
  return queue.add(name, data, { ...DEFAULT_JOB_OPTIONS, jobId: jobIdOf(data), ...options });
}

/** Document jobs use the document id as job id at every stage; poll jobs are keyed by feed. */
function jobIdOf(data: unknown): string | undefined {
  const payload = data as { documentId?: string; feedId?: string; sitemapId?: string };
  if (payload.documentId) return payload.documentId;
  // Poll jobs are not de-duplicated by id: the scheduler and manual refreshes must both run.
  return undefined;
}

export const enqueueFetch = (
  queues: QueueMap,
  payload: JobPayload<'fetch-document'>,
  options?: JobsOptions,
) => enqueue(queues, 'fetch-document', payload, options);
export const enqueueExtract = (
  queues: QueueMap,
  payload: JobPayload<'extract-document'>,
  options?: JobsOptions,
) => enqueue(queues, 'extract-document', payload, options);
export const enqueueIndex = (
  queues: QueueMap,
  payload: JobPayload<'index-document'>,
  options?: JobsOptions,
) => enqueue(queues, 'index-document', payload, options);

export { QueueName };
