import type { Logger } from '@sluice/logger';
import type { Job } from 'bullmq';
import { readableReason } from './classify-error';

/**
 * The jobs one worker is running and the lock token of each, so that a shutdown that cannot
 * wait for them can hand them back to the queue at once instead of leaving them locked until
 * their locks expire.
 */
export class ActiveJobs {
  private readonly jobs = new Map<string, { job: Job; token: string | undefined }>();

  add(job: Job, token: string | undefined): void {
    if (job.id) this.jobs.set(job.id, { job, token });
  }

  delete(job: Job): void {
    if (job.id) this.jobs.delete(job.id);
  }

  get size(): number {
    return this.jobs.size;
  }

  /**
   * Moves every running job back to waiting and releases its lock, without counting an
   * attempt, so another copy starts it at once. Returns how many were handed back.
   */
  async releaseAll(logger: Logger): Promise<number> {
    let released = 0;
    await Promise.all(
      [...this.jobs.values()].map(async ({ job, token }) => {
        try {
          await job.moveToWait(token);
          released++;
        } catch (error) {
          // Lock already lost (the stalled check will return it) or Redis away: nothing more to do.
          logger.warn({ jobId: job.id, reason: readableReason(error) }, 'could not hand a job back');
        }
      }),
    );
    this.jobs.clear();
    return released;
  }
}
