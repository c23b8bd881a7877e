import { DelayedError, type Job } from 'bullmq';

/**
 * Puts the job back to run after `delayMs` without counting a failed attempt: the way a job
 * over a host's rate budget waits. Always throws (BullMQ's DelayedError), so use `return await`.
 */
export async function delayJob(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(delayMs)), token);
  throw new DelayedError();
}
