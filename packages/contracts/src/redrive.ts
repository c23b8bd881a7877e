import type { Job } from 'bullmq';
import { enqueueFetch, type QueueMap } from './enqueue';
import type { FetchJob } from './jobs';
import { PIPELINE_ORDER, type QueueName } from './queues';

/**
 * Re-driving a document: its job id is its document id at every stage, so a second run needs
 * the old jobs gone (a new add with an existing id is a no-op) or retried in place.
 */

/** Job states in which a document's work is still under way. */
const IN_PROGRESS = new Set([
  'active',
  'waiting',
  'waiting-children',
  'delayed',
  'prioritized',
  'paused',
  'wait',
]);

export interface StageJob {
  queue: QueueName;
  job: Job;
  state: string;
}

/** The document's jobs, one per stage that has one, in pipeline order. */
export async function documentJobs(queues: QueueMap, id: string): Promise<StageJob[]> {
  const found: StageJob[] = [];
  for (const queue of PIPELINE_ORDER) {
    const job = await queues[queue].getJob(id);
    if (job) found.push({ queue, job, state: await job.getState() });
  }
  return found;
}

export type RedriveOutcome =
  /** Runs again from the stage named. */
  | { outcome: 'requeued'; stage: QueueName }
  /** A job of the document is still waiting or running: nothing changed. */
  | { outcome: 'in-progress'; stage: QueueName }
  /** Finished without failing and `force` was not given. */
  | { outcome: 'not-failed'; status: 'completed' }
  /** No job of the document is left (never seen, or removed by retention). */
  | { outcome: 'unknown' };

/**
 * Runs a document again. A failed document (or, with `force`, a finished one) restarts from
 * `payload` when given (a re-submission), else from its earliest failed stage (or, forced,
 * its first stage) with that job's own data and a fresh set of attempts. Later stages' old
 * jobs are removed first so the re-run reaches them.
 */
export async function redriveDocument(
  queues: QueueMap,
  id: string,
  options: { payload?: FetchJob; force?: boolean } = {},
): Promise<RedriveOutcome> {
  const jobs = await documentJobs(queues, id);
  const busy = jobs.find((entry) => IN_PROGRESS.has(entry.state));
  if (busy) return { outcome: 'in-progress', stage: busy.queue };
  const failed = jobs.find((entry) => entry.state === 'failed');
  if (!failed && !options.force)
    return jobs.length ? { outcome: 'not-failed', status: 'completed' } : { outcome: 'unknown' };
  if (options.payload) {
    for (const entry of jobs) {
      if ((await queues[entry.queue].remove(id)) === 0) return { outcome: 'in-progress', stage: entry.queue };
    }
    await enqueueFetch(queues, options.payload);
    return { outcome: 'requeued', stage: 'fetch' };
  }
  const from = failed ?? jobs[0];
  if (!from) return { outcome: 'unknown' };
  for (const entry of jobs) {
    if (PIPELINE_ORDER.indexOf(entry.queue) <= PIPELINE_ORDER.indexOf(from.queue)) continue;
    if ((await queues[entry.queue].remove(id)) === 0) return { outcome: 'in-progress', stage: entry.queue };
  }
  await from.job.retry(from.state === 'failed' ? 'failed' : 'completed', {
    resetAttemptsMade: true,
    resetAttemptsStarted: true,
  });
  return { outcome: 'requeued', stage: from.queue };
}

export type SubmitOutcome =
  | { outcome: 'queued' | 'requeued' | 'done' }
  | { outcome: 'in-progress'; stage: QueueName };

/**
 * A submission (API, CLI, feed): a new document is enqueued; a failed one (and with `force` a
 * finished one) runs again from this input; one still under way is left to finish; one done
 * is left alone (`done`).
 */
export async function submitDocument(
  queues: QueueMap,
  payload: FetchJob,
  options: { force?: boolean } = {},
): Promise<SubmitOutcome> {
  const run = await redriveDocument(queues, payload.documentId, { payload, force: options.force });
  if (run.outcome === 'requeued') return { outcome: 'requeued' };
  if (run.outcome === 'in-progress') return run;
  if (run.outcome === 'not-failed') return { outcome: 'done' };
  await enqueueFetch(queues, payload);
  return { outcome: 'queued' };
}

export interface FailedDocument {
  id: string;
  queue: QueueName;
  failedAt: string;
  failedReason: string;
}

/**
 * Documents whose job failed at some stage, newest first, failed at or after `since`. Reads
 * each stage's failed set page by page (it is ordered by failure time) and stops at `since`.
 */
export async function listFailedDocuments(
  queues: QueueMap,
  options: { since?: Date; limit?: number } = {},
): Promise<FailedDocument[]> {
  const since = options.since?.getTime() ?? 0;
  const limit = options.limit ?? 1_000;
  const found = new Map<string, FailedDocument>();
  const page = 200;
  for (const queue of PIPELINE_ORDER) {
    for (let start = 0; found.size < limit; start += page) {
      const jobs = await queues[queue].getJobs(['failed'], start, start + page - 1, false);
      const recent = jobs.filter((job) => job?.id && (job.finishedOn ?? 0) >= since);
      for (const job of recent) {
        if (found.size >= limit) break;
        if (found.has(job.id as string)) continue;
        found.set(job.id as string, {
          id: job.id as string,
          queue,
          failedAt: new Date(job.finishedOn ?? 0).toISOString(),
          failedReason: job.failedReason ?? 'failed',
        });
      }
      if (jobs.length < page || recent.length < jobs.length) break;
    }
  }
  return [...found.values()].sort((a, b) => b.failedAt.localeCompare(a.failedAt));
}
