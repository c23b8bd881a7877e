import type { JobsOptions, Queue } from 'bullmq';
import { JOBS, type JobName, type JobPayload } from './jobs';
import { QueueName } from './queues';
import { jobOptionsFor } from './retention';

export type QueueMap = { [Q in QueueName]: Queue };

/**
 * Validates the payload against the job's schema and adds it to the job's queue with the
 * document id as the job id: adding the same document twice while its job exists is a no-op.
 * The queue's own default options (a smaller retention, see `jobOptionsWithin`) win over the
 * job's defaults; `options` win over both.
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
  return queue.add(name, data, {
    ...jobOptionsFor(spec.queue),
    ...queue.defaultJobOptions,
    jobId: jobIdOf(data),
    ...options,
  });
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
